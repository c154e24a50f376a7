// Which rules service address Optout may fetch from. Rules travel only over https; plain http is
// accepted for this computer alone (loopback), where a developer runs `optout serve`.

import { RULES_SERVICE_URL } from "./config.js";
import { t } from "./i18n.js";

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
    return { ok: false, sentence: t("service_not_an_address") };
  }
  if (url.username || url.password) {
    return { ok: false, sentence: t("service_no_password") };
  }
  if (url.protocol === "https:") return { ok: true, origin: url.origin, development: false };
  if (url.protocol === "http:" && isLoopback(url.hostname)) return { ok: true, origin: url.origin, development: true };
  if (url.protocol === "http:") {
    return { ok: false, sentence: t("service_not_secure") };
  }
  return { ok: false, sentence: t("service_not_an_address") };
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
  // The helper's reason for a refusal is its own sentence, in English only.
  const refused = rules?.refused && rules.fromService === (service?.origin ?? null) ? rules.refused : "";
  if (!service) return { state: "built_in", refused: false, text: t("source_built_in") };
  const checked = refused ? [t("source_refused"), refused] : [t("source_checked")];
  if (service.development) {
    return { state: "development", refused: Boolean(refused), text: [t("source_development", service.origin), ...checked].join(" ") };
  }
  return { state: "service", refused: Boolean(refused), text: [t("source_service", service.origin), ...checked].join(" ") };
}
