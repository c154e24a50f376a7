// The rules: the signed bundle from the rules service when it answers, else the host's own copy.

import { PLATFORM, RULES_PATH, SERVICE_TIMEOUT_MS } from "../shared/config.js";
import { decodeBundle } from "../shared/rules.js";
import { MessageType } from "../shared/vocabulary.js";
import { askHost } from "./host.js";

async function fetchEnvelope(serviceUrl) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SERVICE_TIMEOUT_MS);
  try {
    const response = await fetch(new URL(RULES_PATH, serviceUrl), {
      signal: controller.signal,
      cache: "no-cache",
      credentials: "omit",
    });
    if (!response.ok) throw new Error(`The rules service answered ${response.status}.`);
    const envelope = await response.json();
    if (envelope?.platform !== PLATFORM || typeof envelope.bundle !== "string") {
      throw new Error("The rules service sent something that is not a rules bundle.");
    }
    return envelope;
  } finally {
    clearTimeout(timer);
  }
}

// Returns {version, source, document, envelope}; envelope is null when the host's copy is used.
export async function loadRules(serviceUrl) {
  try {
    const envelope = await fetchEnvelope(serviceUrl);
    return { version: envelope.version, source: "service", document: decodeBundle(envelope), envelope };
  } catch {
    const answer = await askHost(MessageType.RULES, { platform: PLATFORM });
    return { version: answer.version, source: answer.source, document: answer.rules, envelope: null };
  }
}
