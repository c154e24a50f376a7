"""Generated class names and element ids, new for every replica instance, as a production bundle makes them.

Nothing here says what a control means: pages must be found by their label text, never by these names.
"""

from __future__ import annotations

import random
import string

# Parts of the page that get their own generated class. Only the server and the page script know the roles.
CLASS_ROLES = (
    "page",
    "header",
    "logo",
    "search",
    "avatar",
    "badge",
    "layout",
    "nav",
    "navLink",
    "navActive",
    "main",
    "pageTitle",
    "intro",
    "section",
    "sectionTitle",
    "row",
    "rowText",
    "title",
    "subtitle",
    "switch",
    "switchInput",
    "slider",
    "checkbox",
    "checkboxInput",
    "checkboxBox",
    "helper",
    "ariaSwitch",
    "knob",
    "legacyRow",
    "legacyLabel",
    "bar",
    "button",
    "buttonPrimary",
    "toast",
    "toastError",
    "notice",
    "spinner",
    "card",
    "field",
    "input",
)


class GeneratedNames:
    """Random class names and ids for one replica instance; `seed` makes them reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._used: set[str] = set()
        self.classes: dict[str, str] = {role: self._token(3) for role in CLASS_ROLES}
        self._ids: dict[str, str] = {}
        self._fields: dict[str, str] = {}
        self.build = self._token(8).lower()

    def _token(self, length: int) -> str:
        alphabet = string.ascii_letters + string.digits
        while True:
            token = self._random.choice(string.ascii_letters) + "".join(
                self._random.choice(alphabet) for _ in range(length - 1)
            )
            if token not in self._used:
                self._used.add(token)
                return token

    def element_id(self, key: str) -> str:
        """The id of the input for `key`: fixed for this instance, meaningless, different in the next."""
        if key not in self._ids:
            self._ids[key] = self._token(7)
        return self._ids[key]

    def field_name(self, key: str) -> str:
        """The form field name the server-rendered variant posts for `key`."""
        if key not in self._fields:
            self._fields[key] = "f_" + self._token(6).lower()
        return self._fields[key]

    def key_for_field(self, name: str) -> str | None:
        return next((key for key, field in self._fields.items() if field == name), None)
