// Installs a packed add-on (the release .xpi) in Firefox ESR over WebDriver BiDi, for tests/package: the add-on
// must install under its gecko id and its background must run (on install it opens the welcome page).
//
//   node install-xpi.mjs FIREFOX XPI HOME    (the result is one JSON line on stdout)

import puppeteer from "puppeteer-core";

const [firefox, xpi, home] = process.argv.slice(2);
let step = "starting Firefox";

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
    const welcome = await browser.waitForTarget((target) => target.url().endsWith("/welcome.html"), { timeout: 30_000 });
    process.stdout.write(`${JSON.stringify({ id, welcome: welcome.url() })}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`While ${step}: ${error.message}\n`);
  process.exit(1);
});
