// Do Not Track and Global Privacy Control: two headers added to every request to Pinterest's sites (each
// of its domains, pinterest.com and the country domains such as pinterest.de, with their subdomains) and no other.

import { PINTEREST_SITES } from "../shared/vocabulary.js";

const RULE_ID = 1;

const SIGNALS_RULE = {
  id: RULE_ID,
  priority: 1,
  action: {
    type: "modifyHeaders",
    requestHeaders: [
      { header: "Sec-GPC", operation: "set", value: "1" },
      { header: "DNT", operation: "set", value: "1" },
    ],
  },
  // Without resourceTypes the rule would skip page loads (main_frame), the one request that matters most.
  condition: {
    requestDomains: PINTEREST_SITES.map((site) => site.cookieDomain),
    resourceTypes: [
      "main_frame", "sub_frame", "stylesheet", "script", "image", "font", "object",
      "xmlhttprequest", "ping", "media", "websocket", "other",
    ],
  },
};

export async function applyPrivacySignals(enabled) {
  await chrome.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: [RULE_ID],
    addRules: enabled ? [SIGNALS_RULE] : [],
  });
}
