// The Pinterest session the host needs, read from this browser and handed over for one run.

import { COOKIE_DOMAIN } from "../shared/config.js";

export function pinterestCookies() {
  return chrome.cookies.getAll({ domain: COOKIE_DOMAIN });
}
