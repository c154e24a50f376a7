// How a person installs the helper, per operating system: what the welcome page shows. Each command uses only
// what a fresh computer has once Python 3.11 or newer is there (the helper's one requirement), ends with
// `optout install` (which registers the helper for every browser it finds), and takes the helper's wheel from
// the Downloads folder, where the browser puts the file from the release page.

import { t } from "./i18n.js";

export const System = Object.freeze({ MAC: "mac", WINDOWS: "windows", LINUX: "linux" });

const SYSTEMS = [System.MAC, System.WINDOWS, System.LINUX];

// userAgentData.platform ("macOS", "Windows", "Linux") where the browser has it (Chromium), navigator.platform
// ("MacIntel", "Win32", "Linux x86_64") elsewhere (Firefox). Anything else is treated as Linux, the likeliest
// remaining desktop.
export function detectSystem(navigatorLike = globalThis.navigator) {
  const platform = String(navigatorLike?.userAgentData?.platform || navigatorLike?.platform || "").toLowerCase();
  if (platform.startsWith("mac")) return System.MAC;
  if (platform.startsWith("win")) return System.WINDOWS;
  return System.LINUX;
}

// The detected system first, the others after it in a fixed order.
export function systemsInOrder(detected) {
  return [detected, ...SYSTEMS.filter((system) => system !== detected)];
}

// The wheel `./run package` builds: the helper's version is the extension's (the build refuses a mismatch).
export function helperFile(version) {
  return `optout-${version}-py3-none-any.whl`;
}

// Linux distributions mark their Python as system-managed (pip refuses --user there), so pipx installs the
// helper into its own environment; pipx's ~/.local/bin may not be on PATH yet in this terminal. macOS and
// Windows use the Python from python.org, where `pip install --user` works; its scripts folder is not on PATH
// either, so the helper's module is run through Python itself.
export function installCommand(system, version) {
  const file = helperFile(version);
  if (system === System.MAC) return `python3 -m pip install --user ~/Downloads/${file} && python3 -m native_host install`;
  if (system === System.WINDOWS) return `py -m pip install --user "$HOME\\Downloads\\${file}"; py -m native_host install`;
  return `sudo apt install -y pipx && pipx install ~/Downloads/${file} && ~/.local/bin/optout install`;
}

// Each system's steps before the command, in order: the welcome page draws them. A step is
// {words: () => text, python?: true}, or {download: true} for the step that names the helper's file.
export const GUIDE_STEPS = Object.freeze({
  [System.MAC]: [{ words: () => t("welcome_mac_python"), python: true }, { download: true }, { words: () => t("welcome_mac_terminal") }],
  [System.WINDOWS]: [{ words: () => t("welcome_windows_python"), python: true }, { download: true }, { words: () => t("welcome_windows_terminal") }],
  [System.LINUX]: [{ words: () => t("welcome_linux_python") }, { download: true }, { words: () => t("welcome_linux_terminal") }],
});

// The name of each system on its button.
export const SYSTEM_NAMES = Object.freeze({
  [System.MAC]: () => t("welcome_system_mac"),
  [System.WINDOWS]: () => t("welcome_system_windows"),
  [System.LINUX]: () => t("welcome_system_linux"),
});

// Where to get Python 3.11 or newer; Linux distributions ship it themselves.
export const PYTHON_DOWNLOADS = Object.freeze({
  [System.MAC]: "https://www.python.org/downloads/macos/",
  [System.WINDOWS]: "https://www.python.org/downloads/windows/",
  [System.LINUX]: null,
});
