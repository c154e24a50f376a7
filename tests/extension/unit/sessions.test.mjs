import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { belongsTo, chooseSession, findSession, siteOfCookie } from "../../../extension/shared/sessions.js";

const session = (domain, expirationDate, value = domain) => ({ name: "_pinterest_sess", value, domain, expirationDate });

describe("siteOfCookie", () => {
  const cases = [
    [".pinterest.com", "https://www.pinterest.com"],
    ["www.pinterest.com", "https://www.pinterest.com"],
    ["de.pinterest.com", "https://de.pinterest.com"],
    [".pinterest.de", "https://www.pinterest.de"],
    ["www.pinterest.co.uk", "https://www.pinterest.co.uk"],
    [".pinterest.com.evil.example", null],
    ["evil.pinterest.com", null],
    [".example.com", null],
  ];
  for (const [domain, origin] of cases) {
    it(`${domain} -> ${origin}`, () => assert.equal(siteOfCookie(domain)?.origin ?? null, origin));
  }
});

describe("chooseSession", () => {
  it("picks the session refreshed last and lists every site holding one", () => {
    const { chosen, origins } = chooseSession([session(".pinterest.com", 1000), session(".pinterest.de", 2000)]);
    assert.deepEqual(chosen, { origin: "https://www.pinterest.de", cookieDomain: "pinterest.de" });
    assert.deepEqual(origins, ["https://www.pinterest.de", "https://www.pinterest.com"]);
  });
  it("counts a session that ends with the browser as in use now", () => {
    const { chosen } = chooseSession([session(".pinterest.de", 2000), session(".pinterest.fr", undefined)]);
    assert.equal(chosen.origin, "https://www.pinterest.fr");
  });
  it("prefers the canonical site on equal expiries, as the helper does", () => {
    const { chosen } = chooseSession([session(".pinterest.de", 2000), session(".pinterest.com", 2000)]);
    assert.equal(chosen.origin, "https://www.pinterest.com");
  });
  it("ignores other cookies and other sites", () => {
    const cookies = [{ name: "_b", domain: ".pinterest.de", expirationDate: 9999 }, session(".evil.example", 9999)];
    assert.deepEqual(chooseSession(cookies), { chosen: null, origins: [] });
  });
});

describe("findSession", () => {
  it("hands over the chosen origin with that one jar's cookies", async () => {
    const jars = {
      "pinterest.com": [session(".pinterest.com", 1000, "com"), { name: "_routing_id", domain: "www.pinterest.com" }],
      "pinterest.de": [session(".pinterest.de", 2000, "de"), { name: "csrftoken", domain: "www.pinterest.de" }],
    };
    const asked = [];
    const cookiesApi = {
      async getAll(filter) {
        asked.push(filter);
        if (filter.name) return Object.values(jars).flat().filter((cookie) => cookie.name === filter.name);
        return Object.values(jars).flat().filter((cookie) => belongsTo(cookie.domain, filter.domain));
      },
    };
    const found = await findSession(cookiesApi);
    assert.equal(found.origin, "https://www.pinterest.de");
    assert.deepEqual(found.cookies.map((cookie) => cookie.value ?? cookie.name), ["de", "csrftoken"]);
    assert.deepEqual(asked, [{ name: "_pinterest_sess" }, { domain: "pinterest.de" }]);
  });
  it("sends no cookies and no origin when no Pinterest site holds a session", async () => {
    const found = await findSession({ getAll: async () => [] });
    assert.deepEqual(found, { origin: null, cookies: [], origins: [] });
  });
});
