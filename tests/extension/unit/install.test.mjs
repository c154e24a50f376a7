import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { browserName, installCommand } from "../../../extension/shared/install.js";

const firefox = { id: "optout@optout.invalid", getURL: (path) => `moz-extension://0c1f2b4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e/${path}` };
const chromium = { id: "abcdefghijklmnopabcdefghijklmnop", getURL: (path) => `chrome-extension://abcdefghijklmnopabcdefghijklmnop/${path}` };
const brands = (...names) => ({ brands: names.map((brand) => ({ brand, version: "1" })) });

describe("browserName", () => {
  it("knows Firefox by its extension URLs", () => assert.equal(browserName(firefox, undefined), "firefox"));
  it("knows Edge, Brave and Chromium by their brands", () => {
    assert.equal(browserName(chromium, brands("Not A Brand", "Microsoft Edge", "Chromium")), "edge");
    assert.equal(browserName(chromium, brands("Brave", "Chromium")), "brave");
    assert.equal(browserName(chromium, brands("Chromium")), "chromium");
    assert.equal(browserName(chromium, brands("Google Chrome", "Chromium")), "chrome");
  });
  it("falls back to Chrome when a Chromium browser names no brand", () => assert.equal(browserName(chromium, undefined), "chrome"));
});

describe("installCommand", () => {
  it("gives Firefox its gecko id", () => {
    assert.equal(installCommand(firefox, undefined), "optout install --browser firefox --extension-id optout@optout.invalid");
  });
  it("gives Chromium its extension id", () => {
    assert.equal(
      installCommand(chromium, brands("Chromium")),
      "optout install --browser chromium --extension-id abcdefghijklmnopabcdefghijklmnop",
    );
  });
});
