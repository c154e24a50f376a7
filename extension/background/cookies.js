// The Pinterest session the host needs, read from this browser and handed over for one run: the site the
// person used last (shared/sessions.js) and that site's cookie jar only.

import { findSession } from "../shared/sessions.js";

export function pinterestSession() {
  return findSession(chrome.cookies);
}
