// Which rules service address Optout may fetch from. Rules travel only over https; plain http is
// accepted for this computer alone (loopback), where a developer runs `optout serve`.

import { RULES_SERVICE_URL } from "./config.js";

function isLoopback(hostname) {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  const parts = host.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

// {ok: true, origin, development} or {ok: false, sentence}. `development` marks loopback http.
export function judgeServiceAddress(text) {
  let url;
  try {
    url = new URL(String(text ?? "").trim());
  } catch {
    return { ok: false, sentence: "That does not look like a web address. It should start with https://" };
  }
  if (url.username || url.password) {
    return { ok: false, sentence: "Leave the name and password out of the address." };
  }
  if (url.protocol === "https:") return { ok: true, origin: url.origin, development: false };
  if (url.protocol === "http:" && isLoopback(url.hostname)) return { ok: true, origin: url.origin, development: true };
  if (url.protocol === "http:") {
    return {
      ok: false,
      sentence: "Optout only uses secure addresses (https://), so nobody on the way can swap the list of settings.",
    };
  }
  return { ok: false, sentence: "That does not look like a web address. It should start with https://" };
}

// The address to fetch rules from, or null for none (the helper's own verified copy).
export function serviceAddress(preferences) {
  const chosen = preferences?.serviceUrl;
  const address = typeof chosen === "string" ? chosen : RULES_SERVICE_URL;
  if (!address) return null;
  const judged = judgeServiceAddress(address);
  return judged.ok ? judged : null;
}

// What the options page says about where the list of settings comes from: {state, refused, text}.
// state: "built_in" (no service), "service" (https) or "development" (http on this computer);
// refused: the helper turned down the last update from this address.
export function describeRulesSource(preferences, rules = null) {
  const service = serviceAddress(preferences);
  const refused = rules?.refused && rules.fromService === (service?.origin ?? null) ? ` ${rules.refused}` : "";
  if (!service) {
    return {
      state: "built_in",
      refused: false,
      text: "Optout uses the list that came with its helper app, checked by the helper and updated with Optout itself.",
    };
  }
  const checked = refused
    ? ` The last update from there did not pass the helper\u2019s safety check, so Optout kept the list it had.${refused}`
    : " The helper app checks every update\u2019s signature before Optout uses it.";
  if (service.development) {
    return {
      state: "development",
      refused: Boolean(refused),
      text: `Development: updates come from ${service.origin} on this computer, without https (allowed only on this computer).${checked}`,
    };
  }
  return { state: "service", refused: Boolean(refused), text: `Updates come from ${service.origin}.${checked}` };
}
