// Drives Firefox ESR with the real Optout extension over WebDriver BiDi, for tests/extension/test_firefox.py:
// the helper missing (the popup must link to the welcome page's install steps), then the command those steps end
// with (`optout install`, for every browser found) run under this Firefox's HOME and the helper pointed at the
// practice host, then one opt-out from the popup.
//
//   node drive.mjs CONFIG.json    (fields: see `config` below; the result is one JSON line on stdout)
//
// Exits non-zero with a sentence on stderr when Firefox does not behave as a person would need it to.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";

import puppeteer from "puppeteer-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
// firefox: the ESR binary; extension: the extension folder; home: HOME for Firefox and `optout install`;
// dataDir: OPTOUT_DATA_DIR for both; optout: the `optout` program; practiceLauncher: the practice host;
// pinterest: "127.0.0.1:PORT" of the TLS server that answers as www.pinterest.com; artifacts: screenshots.

const GECKO_ID = JSON.parse(readFileSync(join(config.extension, "manifest.json"), "utf8")).browser_specific_settings.gecko.id;
// Firefox gives each add-on a random internal UUID per profile; fixing it gives the popup a known address.
const UUID = "7f0e5a52-8c1d-4b9e-9a3f-0d6c2b1e4a77";
const POPUP = `moz-extension://${UUID}/popup.html`;
const RUN_TIMEOUT_MS = 90_000;
let step = "starting Firefox";

function fail(sentence) {
  throw new Error(sentence);
}

// Firefox has no host-resolver flag: it reaches www.pinterest.com through this proxy, which tunnels
// CONNECT www.pinterest.com:443 to the local TLS server and refuses everything else (nothing leaves the machine).
function startTunnel() {
  const [targetHost, targetPort] = config.pinterest.split(":");
  const server = createServer((request, response) => {
    response.writeHead(403).end();
  });
  server.on("connect", (request, client, head) => {
    if (request.url !== "www.pinterest.com:443") {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(Number(targetPort), targetHost, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function openPopup(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 380, height: 600 });
  // The extension page loads (in the extension's own process), but Puppeteer never sees that navigation end:
  // its goto times out on an about:blank it still believes is current. So wait on the page itself instead.
  page.goto(POPUP, { timeout: 60_000 }).catch(() => {});
  await page.waitForFunction(() => location.protocol === "moz-extension:" && document.readyState === "complete", {
    timeout: 20_000,
  });
  return page;
}

async function text(page, selector) {
  return page.$eval(selector, (element) => element.textContent.trim());
}

// What the welcome page's steps end with, run as a person would (with this test's `optout`), under Firefox's HOME.
function runInstallCommand(command) {
  const [, ...args] = command.split(/\s+/);
  const env = { ...process.env, HOME: config.home, OPTOUT_DATA_DIR: config.dataDir };
  const done = spawnSync(config.optout, args, { env, encoding: "utf8" });
  if (done.status !== 0) fail(`${command} failed (exit ${done.status}): ${done.stderr.trim()}`);
  const manifestPath = join(config.home, ".mozilla", "native-messaging-hosts", "com.optout.host.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (!manifest.allowed_extensions?.includes(GECKO_ID)) {
    fail(`optout install did not allow ${GECKO_ID}: ${JSON.stringify(manifest.allowed_extensions)}`);
  }
  // The installed launcher runs the real host against the real site; this test's host must run the practice
  // entry point against the replica, with everything else exactly as installed.
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, path: config.practiceLauncher }));
  return { manifest: manifestPath, allowedExtensions: manifest.allowed_extensions };
}

async function logIn(browser) {
  const page = await browser.newPage();
  await page.goto("https://www.pinterest.com/login/");
  await page.type("#email", "artist@example.com");
  await page.type("#password", "correct horse");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const cookies = await browser.cookies();
  await page.close();
  const session = cookies.find((cookie) => cookie.name === "_pinterest_sess" && cookie.domain.endsWith("pinterest.com"));
  if (!session) fail("Logging in to the replica in Firefox set no _pinterest_sess cookie.");
  return session.value;
}

// Runs in the popup: a notice asked for with buttons (which Firefox refuses) must still appear, and clicking a
// notice's body in the worker must do its action (log in opens Pinterest's login page, new settings Options).
async function noticesInFirefox() {
  const { NotificationId, show } = await import("./background/notifications.js");
  // Headless Firefox may close a notice at once, so getAll() can miss it: keep what Firefox really accepted.
  const accepted = {};
  const create = chrome.notifications.create;
  chrome.notifications.create = async (id, options) => {
    const created = await create(id, options); // throws when Firefox refuses (buttons)
    accepted[id] = options;
    return created;
  };
  await show(NotificationId.DRIFT, "Pinterest changed your settings", "It turned one back on.", ["Fix now"]);
  chrome.notifications.create = create;
  const shown = { ...accepted, ...(await chrome.notifications.getAll()) };
  const worker = await chrome.runtime.getBackgroundPage();
  // The tab a click opens is read from the worker's own call: a background tab on the proxied replica may
  // take long to show its address on a busy machine.
  const opened = [];
  const createTab = worker.chrome.tabs.create;
  worker.chrome.tabs.create = async (properties) => {
    opened.push(properties.url);
    return createTab(properties);
  };
  await worker.onNotificationClicked(NotificationId.LOGGED_OUT);
  await worker.onNotificationClicked(NotificationId.NEW_SETTINGS);
  // Without the tabs permission only the Pinterest tab shows its URL; the extension's own pages are its views.
  // Options opens in the background: wait (bounded) until it has appeared, however busy the machine is.
  let tabs = [];
  let pages = [];
  for (let tries = 0; tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    tabs = (await chrome.tabs.query({})).map((tab) => tab.url).filter(Boolean);
    pages = chrome.extension.getViews({ type: "tab" }).map((view) => view.location.pathname);
    if (pages.includes("/options.html")) break;
  }
  worker.chrome.tabs.create = createTab;
  tabs = [...new Set([...tabs, ...opened])];
  return { driftMessage: shown[NotificationId.DRIFT]?.message ?? null, tabs, pages };
}

async function main() {
  const tunnel = await startTunnel();
  const proxyPort = tunnel.address().port;
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: config.firefox,
    headless: true,
    // The replica's certificate is self-signed for www.pinterest.com; this session accepts it (tests only).
    acceptInsecureCerts: true,
    // WebDriver BiDi navigates only to http(s), file and blob pages unless this flag allows more; without it
    // opening moz-extension://…/popup.html fails with "Navigation to … is not allowed in this context".
    args: ["--remote-allow-system-access"],
    env: { ...process.env, HOME: config.home, OPTOUT_DATA_DIR: config.dataDir },
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: UUID }),
      "network.proxy.type": 1,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": proxyPort,
      "network.proxy.http": "127.0.0.1",
      "network.proxy.http_port": proxyPort,
      "network.proxy.no_proxies_on": "",
    },
  });
  const result = {};
  try {
    step = "installing the add-on";
    result.extensionId = await browser.installExtension(config.extension);
    if (result.extensionId !== GECKO_ID) fail(`Firefox installed the add-on as ${result.extensionId}, not ${GECKO_ID}.`);

    step = "opening the popup without the helper";
    const missing = await openPopup(browser);
    await missing.waitForSelector('#problem[data-kind="host_missing"]', { timeout: 20_000 }).catch(async () => {
      const kind = await missing.$eval("#problem", (element) => element.dataset.kind).catch(() => "none");
      fail(`Without the helper the popup shows problem "${kind}", not host_missing: ${await text(missing, "main")}`);
    });
    result.missingTitle = await text(missing, "#problem");
    result.welcomeLink = await missing.$eval("#welcome-link", (link) => link.href);
    await missing.screenshot({ path: join(config.artifacts, "popup-firefox-host-missing.png"), fullPage: true });
    await missing.close();

    step = "running optout install";
    result.command = "optout install";
    Object.assign(result, runInstallCommand(result.command));
    step = "logging in to the replica";
    result.session = await logIn(browser);

    step = "opting out from the popup";
    const popup = await openPopup(browser);
    await popup.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    await popup.click("#opt-out");
    await popup.waitForSelector("main[data-finished]", { timeout: RUN_TIMEOUT_MS });
    result.summaryStatus = await popup.$eval("#summary", (element) => element.dataset.status ?? null).catch(() => null);
    result.summary = await text(popup, "#summary").catch(() => "");
    result.problem = await popup.$eval("#problem", (element) => (element.hidden ? null : element.textContent.trim()));
    await popup.screenshot({ path: join(config.artifacts, "popup-firefox-after.png"), fullPage: true });

    step = "showing and clicking notifications";
    result.notifications = await popup.evaluate(noticesInFirefox);
  } finally {
    await browser.close();
    tunnel.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`While ${step}: ${error.message}\n`);
  process.exit(1);
});
