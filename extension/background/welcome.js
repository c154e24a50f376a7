// The welcome page: opened once, when Optout is first installed (not on updates or browser restarts).

export function openWelcome() {
  return chrome.tabs.create({ url: chrome.runtime.getURL("welcome.html") });
}
