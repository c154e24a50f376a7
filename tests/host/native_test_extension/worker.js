// Present so the test can read the extension id from the service worker's URL.
self.addEventListener("install", () => self.skipWaiting());
