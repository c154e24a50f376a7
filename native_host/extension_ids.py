"""Which extensions the host serves by default: the one place the ids are known.

The Chrome-family id is fixed by the `key` in the extension's manifest; the extension keeps it in
extension/extension-id.txt. Firefox identifies the add-on by its gecko id instead.
"""

from __future__ import annotations

import re
from pathlib import Path

# The repository's copy, or in an installed copy (no extension/ folder next to it) the one the build puts into
# the package (setup.py).
_PACKAGED_ID_FILE = Path(__file__).resolve().with_name("extension-id.txt")
_REPOSITORY_ID_FILE = Path(__file__).resolve().parent.parent / "extension" / "extension-id.txt"
EXTENSION_ID_FILE = _PACKAGED_ID_FILE if _PACKAGED_ID_FILE.is_file() else _REPOSITORY_ID_FILE
GECKO_ID = "optout@optout.invalid"

_CHROME_ID = re.compile(r"^[a-p]{32}$")
# Firefox add-on ids are email-like (`name@example.org`) or a GUID in braces, as addons.mozilla.org accepts them.
_GECKO_ID = re.compile(
    r"^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}"
    r"|[A-Za-z0-9._-]*@[A-Za-z0-9._-]+)$"
)


def is_chrome_extension_id(text: str) -> bool:
    """A Chrome extension id is 32 letters from a to p."""
    return bool(_CHROME_ID.match(text))


def is_gecko_id(text: str) -> bool:
    """A Firefox add-on id: `name@domain` or `{GUID}`."""
    return bool(_GECKO_ID.match(text))


def default_chrome_extension_id(path: Path = EXTENSION_ID_FILE) -> str | None:
    """The extension's fixed id, or None when this copy of Optout has no extension next to it."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if is_chrome_extension_id(text) else None
