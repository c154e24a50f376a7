import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { PRIVACY_PAGE } from "../../../extension/shared/config.js";
import { isPinterestPage, settingsPage } from "../../../extension/shared/rules.js";
import {
  describeRulesSource,
  judgeServiceAddress,
  serviceAddress,
} from "../../../extension/shared/rules-source.js";
import { canvas } from "./fixtures.mjs";

describe("isPinterestPage", () => {
  const cases = [
    ["https://www.pinterest.com/settings/privacy", true],
    ["https://pinterest.com/settings", true],
    ["https://help.pinterest.com/en/article", true],
    ["HTTPS://WWW.PINTEREST.COM/settings", true],
    ["https://www.pinterest.de/settings/privacy", true],
    ["https://de.pinterest.com/settings/privacy", true],
    ["https://www.pinterest.co.uk/settings", true],
    ["https://www.pinterest.de.evil.example/", false],
    ["https://www.pinterest.example/", false],
    ["http://www.pinterest.com/settings/privacy", false],
    ["https://evil.example/settings/privacy", false],
    ["https://www.pinterest.com.evil.example/", false],
    ["https://notpinterest.com/", false],
    ["https://www.pinterest.com:8443/settings", false],
    ["https://user@www.pinterest.com/settings", false],
    ["javascript:alert(1)", false],
    ["/settings/privacy", false],
    [null, false],
  ];
  for (const [address, expected] of cases) {
    it(`${address} -> ${expected}`, () => assert.equal(isPinterestPage(address), expected));
  }
});

describe("settingsPage", () => {
  it("uses the rules' page when it is on Pinterest", () => {
    const setting = { ...canvas, pages: { urls: ["https://www.pinterest.com/settings/privacy-and-data"] } };
    assert.equal(settingsPage({}, setting), "https://www.pinterest.com/settings/privacy-and-data");
  });
  it("never links off Pinterest, whatever the rules say", () => {
    const forged = { ...canvas, pages: { urls: ["https://evil.example/phish"] } };
    assert.equal(settingsPage({ menu_page: "https://evil.example/menu" }, forged), PRIVACY_PAGE);
    assert.equal(settingsPage({ menu_page: "https://www.pinterest.com/settings" }, forged), "https://www.pinterest.com/settings");
  });
});

describe("judgeServiceAddress", () => {
  it("accepts https", () => {
    assert.deepEqual(judgeServiceAddress("https://rules.example.org/some/path"), {
      ok: true,
      origin: "https://rules.example.org",
      development: false,
    });
  });
  const loopback = ["http://127.0.0.1:8787", "http://127.4.5.6:80", "http://localhost:8787", "http://[::1]:8787"];
  for (const address of loopback) {
    it(`accepts ${address} as development`, () => {
      const judged = judgeServiceAddress(address);
      assert.equal(judged.ok, true);
      assert.equal(judged.development, true);
    });
  }
  const refused = [
    "http://rules.example.org",
    "http://192.168.1.10:8787",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example",
    "http://[::2]:8787",
  ];
  for (const address of refused) {
    it(`refuses ${address} with a sentence`, () => {
      const judged = judgeServiceAddress(address);
      assert.equal(judged.ok, false);
      assert.match(judged.sentence, /secure addresses \(https:\/\/\)/);
    });
  }
  for (const address of ["not an address", "ftp://rules.example.org", "", "https://name:secret@rules.example.org"]) {
    it(`refuses ${JSON.stringify(address)}`, () => {
      const judged = judgeServiceAddress(address);
      assert.equal(judged.ok, false);
      assert.ok(judged.sentence.length > 10);
    });
  }
});

describe("serviceAddress and describeRulesSource", () => {
  it("has no service by default: the helper's own copy", () => {
    assert.equal(serviceAddress({ serviceUrl: null }), null);
    assert.equal(describeRulesSource({ serviceUrl: null }).state, "built_in");
  });
  it("ignores a stored plain-http address off this computer", () => {
    assert.equal(serviceAddress({ serviceUrl: "http://rules.example.org" }), null);
  });
  it("shows loopback http as development", () => {
    const described = describeRulesSource({ serviceUrl: "http://127.0.0.1:8787" });
    assert.equal(described.state, "development");
    assert.equal(described.refused, false);
    assert.match(described.text, /^Development: /);
  });
  it("says when the helper refused the last update from this address", () => {
    const rules = { refused: "The bundle's signature does not match.", fromService: "https://rules.example.org" };
    const described = describeRulesSource({ serviceUrl: "https://rules.example.org" }, rules);
    assert.equal(described.state, "service");
    assert.equal(described.refused, true);
    assert.match(described.text, /did not pass the helper\u2019s safety check/);
    assert.match(described.text, /signature does not match/);
  });
});

describe("a refusal from another address", () => {
  it("is not shown for the address now set", () => {
    const rules = { refused: "Refused.", fromService: "https://old.example.org" };
    const described = describeRulesSource({ serviceUrl: "https://rules.example.org" }, rules);
    assert.equal(described.refused, false);
    assert.doesNotMatch(described.text, /Refused/);
  });
});
