// Installs a packed add-on (the release .xpi) in Firefox ESR over WebDriver BiDi, for tests/package: the add-on
// must install under its gecko id and its background must run (on install it opens the welcome page).
//
//   node install-xpi.mjs FIREFOX XPI HOME    (the result is one JSON line on stdout)

import puppeteer from "puppeteer-core";

const [firefox, xpi, home] = process.argv.slice(2);
let step = "starting Firefox";

// Puppeteer keeps reporting a tab the add-on opened as about:blank: each page is asked where it really is.
async function welcomePage(browser) {
  for (let tries = 0; tries < 60; tries += 1) {
    for (const page of await browser.pages()) {
      const seen = await page
        .evaluate(() => ({
          url: location.href,
          ready: document.querySelector("main")?.dataset.ready === "true",
          title: document.title,
          helper: document.querySelector("#state-helper")?.textContent ?? "",
        }))
        .catch(() => null);
      if (seen?.url.endsWith("/welcome.html") && seen.ready) return seen;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the add-on opened no welcome page within 30 s");
}

async function main() {
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: firefox,
    headless: true,
    env: { ...process.env, HOME: home },
  });
  try {
    step = "installing the xpi";
    const id = await browser.installExtension(xpi);
    step = "waiting for the welcome page";
    const welcome = await welcomePage(browser);
    process.stdout.write(`${JSON.stringify({ id, ...welcome })}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`While ${step}: ${error.message}\n`);
  process.exit(1);
});
