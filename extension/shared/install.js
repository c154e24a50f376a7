// The exact command that registers the native host for this browser and this extension.

const BRANDS = [
  ["Microsoft Edge", "edge"],
  ["Brave", "brave"],
  ["Google Chrome", "chrome"],
  ["Chromium", "chromium"],
];

export function browserName(userAgentData = globalThis.navigator?.userAgentData, userAgent = globalThis.navigator?.userAgent ?? "") {
  if (/Firefox\//.test(userAgent)) return "firefox";
  const brands = (userAgentData?.brands ?? []).map((entry) => entry.brand);
  for (const [brand, name] of BRANDS) {
    if (brands.includes(brand)) return name;
  }
  return "chrome";
}

export function installCommand(extensionId = globalThis.chrome?.runtime?.id, browser = browserName()) {
  return `optout install --browser ${browser} --extension-id ${extensionId}`;
}
