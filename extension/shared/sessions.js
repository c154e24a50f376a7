// Where the person is logged in to Pinterest: the sites (cookie jars) holding a session cookie, and the one
// a run goes to. The same decision as the helper's cookies.session_origin, so a run without an origin, the
// CLI and the extension agree.
//
// "Used most recently" is measured by the session cookie's expiry: Pinterest sets the cookie again, with a
// fresh expiry, on visits (our assumption: no source says how often Pinterest refreshes it). Browsers keep no
// last-access time that extensions can read, and the last open Pinterest tab says nothing once it is closed.
// A session that ends with the browser (no expiry) counts as in use now.

import { PINTEREST_SITES, SESSION_COOKIE } from "./vocabulary.js";

export function belongsTo(domain, cookieDomain) {
  const host = String(domain ?? "").replace(/^\./, "").toLowerCase();
  return host === cookieDomain || host.endsWith(`.${cookieDomain}`);
}

// The site and origin a session cookie's domain stands for: a cookie on one host means that host, a cookie
// on the jar (".pinterest.de") that jar's home (https://www.pinterest.de). null: not Pinterest's.
export function siteOfCookie(domain, sites = PINTEREST_SITES) {
  const host = String(domain ?? "").replace(/^\./, "").toLowerCase();
  for (const site of sites) {
    if (site.hosts.includes(host)) return { site, origin: `https://${host}` };
    if (host === site.cookieDomain) return { site, origin: site.home };
  }
  return null;
}

// From cookies as chrome.cookies.getAll gives them: every origin holding a session, most recent first, and
// the chosen one (null when none). Equal expiries prefer the canonical site, as the helper does.
export function chooseSession(cookies, sites = PINTEREST_SITES) {
  const found = [];
  for (const cookie of cookies ?? []) {
    if (cookie?.name !== SESSION_COOKIE) continue;
    const where = siteOfCookie(cookie.domain, sites);
    if (!where) continue;
    const expires = typeof cookie.expirationDate === "number" ? cookie.expirationDate : Infinity;
    const canonical = where.origin === sites[0].home ? 1 : 0;
    found.push({ ...where, expires, canonical });
  }
  found.sort((a, b) => b.expires - a.expires || b.canonical - a.canonical);
  const origins = [...new Set(found.map((entry) => entry.origin))];
  const chosen = found[0] ?? null;
  return { chosen: chosen ? { origin: chosen.origin, cookieDomain: chosen.site.cookieDomain } : null, origins };
}

// Every Pinterest origin this browser holds a session on, and the chosen one.
export async function sessionChoice(cookiesApi = globalThis.chrome?.cookies) {
  // Only cookies of hosts the manifest grants come back: Pinterest's, and no other site's.
  return chooseSession(await cookiesApi.getAll({ name: SESSION_COOKIE }));
}

// The session for a run: the chosen origin and that one jar's cookies, nothing from any other site.
export async function findSession(cookiesApi = globalThis.chrome?.cookies) {
  const { chosen, origins } = await sessionChoice(cookiesApi);
  if (!chosen) return { origin: null, cookies: [], origins };
  const jar = await cookiesApi.getAll({ domain: chosen.cookieDomain });
  const cookies = jar.filter((cookie) => belongsTo(cookie.domain, chosen.cookieDomain));
  return { origin: chosen.origin, cookies, origins };
}
