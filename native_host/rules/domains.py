"""Every web host and cookie domain a platform may ever use, fixed in Optout itself.

A rules file or a signed bundle can only narrow these: every site its `sites` name must be one of the platform's
jars here, and every host it lists one this jar serves here (native_host.rules.format refuses anything else). So
even a validly signed bundle cannot send a person's cookies to, or browse, a site that is not the platform's.

A platform is a set of sites. A site is one cookie jar (the domain its session cookies are set on) and the web
hosts that jar serves. A run happens on one origin, the one a person is logged in on (e.g.
https://www.pinterest.de), with that origin's site's jar only: `site_for` finds the site of an origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Site:
    cookie_domain: str  # the jar: cookies for this domain and its subdomains
    hosts: frozenset[str]  # the web hosts served by that jar

    @property
    def home(self) -> str:
        """The origin a session on this jar is used on when nothing else says which host: www.<jar> if served."""
        www = f"www.{self.cookie_domain}"
        return f"https://{www if www in self.hosts else min(self.hosts)}"


@dataclass(frozen=True)
class PlatformDomains:
    platform: str
    sites: tuple[Site, ...]
    session_cookie: str  # the login session's cookie: the jar that holds it is where the person is logged in

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host for site in self.sites for host in site.hosts)

    @property
    def cookie_domains(self) -> frozenset[str]:
        return frozenset(site.cookie_domain for site in self.sites)

    def site_for(self, origin: str) -> Site | None:
        """The site serving `origin` (https only), or None when the platform never uses it."""
        host = https_host(origin)
        return next((site for site in self.sites if host in site.hosts), None)


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
        "_pinterest_sess",
    ),
}


def https_host(origin: str) -> str | None:
    """The host of an origin written https://HOST (a trailing slash allowed); None for anything else."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "https" or port is not None or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return parts.hostname


class DomainsError(ValueError):
    """Rules that name a host or cookie domain outside their platform's fixed list."""


def domains_of(platform: str) -> PlatformDomains:
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise DomainsError(
            f"Optout has no fixed list of domains for the platform {platform!r}, so it runs no rules for it."
        ) from None


def check_sites(platform: str, sites: tuple[Site, ...]) -> None:
    """DomainsError unless each site is one of the platform's jars, listing only hosts that jar serves."""
    domains = domains_of(platform)
    fixed = {site.cookie_domain: site for site in domains.sites}
    for site in sites:
        own = fixed.get(site.cookie_domain)
        if own is None:
            raise DomainsError(
                f"The rules for {platform} name the cookie domain {site.cookie_domain}, which is not one of "
                f"{platform}'s own domains; Optout never sends cookies there."
            )
        for host in sorted(site.hosts - own.hosts):
            raise DomainsError(
                f"The rules for {platform} name the host {host}, which is not one of {platform}'s own hosts "
                f"served by the cookie domain {site.cookie_domain}; Optout never browses there."
            )
