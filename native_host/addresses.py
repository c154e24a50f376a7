"""Which addresses are this machine: shared by the site map (targets must be local) and the rules sources (plain
http only to a local service), so neither layer has to reach into the other.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
