"""Every web host and cookie domain a platform may ever use, fixed in Optout itself.

A rules file or a signed bundle can only narrow these: its origins and its cookie domain must be among them
(native_host.rules.format refuses anything else). So even a validly signed bundle cannot send a person's cookies to,
or browse, a site that is not the platform's.

A platform is a set of sites. A site is one cookie jar (the domain its session cookies are set on) and the web
hosts that jar serves. The engine runs on one site at a time: `site_for` finds the site of an origin, so a run
can later be pointed at the origin a person is logged in on (e.g. https://www.pinterest.de) with that site's jar.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Site:
    cookie_domain: str  # the jar: cookies for this domain and its subdomains
    hosts: frozenset[str]  # the web hosts served by that jar


@dataclass(frozen=True)
class PlatformDomains:
    platform: str
    sites: tuple[Site, ...]

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host for site in self.sites for host in site.hosts)

    @property
    def cookie_domains(self) -> frozenset[str]:
        return frozenset(site.cookie_domain for site in self.sites)

    def site_for(self, origin: str) -> Site | None:
        """The site serving `origin` (https only), or None when the platform never uses it."""
        parts = urlsplit(origin)
        if parts.scheme != "https" or parts.port is not None:
            return None
        for site in self.sites:
            if parts.hostname in site.hosts:
                return site
        return None


# Source: the hosts the Pinterest Android app (version 14.39) declares as its own links, and Pinterest
# Engineering, "How switching our domain structure unlocked international growth" (2018), which describes the
# move from country subdomains to country domains and the one login that serves them all. The session cookies
# sit on `.pinterest.com`, so one jar serves www and every country subdomain of pinterest.com; each country
# domain www.pinterest.<tld> has its own jar, filled by Pinterest's login handshake.
PINTEREST_SUBDOMAINS = (
    "www au br ca ch cl co cz de dk es fi fr gr hu id ie in it jp kr mx nl no nz ph pl pt ro ru se sk tr uk za"
).split()
PINTEREST_COUNTRY_DOMAINS = "at ca ch cl co.kr co.uk com.au com.mx de dk es fr ie it jp nz ph pt se".split()

PLATFORMS: dict[str, PlatformDomains] = {
    "pinterest": PlatformDomains(
        "pinterest",
        (
            Site("pinterest.com", frozenset(f"{name}.pinterest.com" for name in PINTEREST_SUBDOMAINS)),
            *(Site(f"pinterest.{tld}", frozenset({f"www.pinterest.{tld}"})) for tld in PINTEREST_COUNTRY_DOMAINS),
        ),
    ),
}


class DomainsError(ValueError):
    """Rules that name a host or cookie domain outside their platform's fixed list."""


def domains_of(platform: str) -> PlatformDomains:
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise DomainsError(
            f"Optout has no fixed list of domains for the platform {platform!r}, so it runs no rules for it."
        ) from None


def check_within(platform: str, origins: tuple[str, ...], cookie_domain: str) -> None:
    """DomainsError unless the cookie domain is one of the platform's jars and every origin is served by it."""
    domains = domains_of(platform)
    site = next((site for site in domains.sites if site.cookie_domain == cookie_domain), None)
    if site is None:
        raise DomainsError(
            f"The rules for {platform} name the cookie domain {cookie_domain}, which is not one of {platform}'s "
            "own domains; Optout never sends cookies there."
        )
    for origin in origins:
        if domains.site_for(origin) != site:
            raise DomainsError(
                f"The rules for {platform} name the origin {origin}, which is not one of {platform}'s own sites "
                f"served by the cookie domain {cookie_domain}; Optout never browses there."
            )
