// The exact command that registers the native host for this browser and this extension.

const BRANDS = [
  ["Microsoft Edge", "edge"],
  ["Brave", "brave"],
  ["Google Chrome", "chrome"],
  ["Chromium", "chromium"],
];

// Firefox is told apart by what it is, not what it calls itself: its extension pages live under
// moz-extension://. Chromium-family browsers name their brand in userAgentData.
export function browserName(runtime = globalThis.chrome?.runtime, userAgentData = globalThis.navigator?.userAgentData) {
  if (String(runtime?.getURL?.("") ?? "").startsWith("moz-extension:")) return "firefox";
  const brands = (userAgentData?.brands ?? []).map((entry) => entry.brand);
  for (const [brand, name] of BRANDS) {
    if (brands.includes(brand)) return name;
  }
  return "chrome";
}

// In Firefox runtime.id is the add-on's gecko id (manifest browser_specific_settings), which `optout install`
// writes into allowed_extensions; in the others it is the 32-letter id for allowed_origins.
export function installCommand(runtime = globalThis.chrome?.runtime, userAgentData = globalThis.navigator?.userAgentData) {
  return `optout install --browser ${browserName(runtime, userAgentData)} --extension-id ${runtime?.id}`;
}
