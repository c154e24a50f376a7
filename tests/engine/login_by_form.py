"""Test-only entry point: `optout login` with a person's part played through the replica's login form.

Run as `python tests/engine/login_by_form.py [--form email|none|elsewhere|close] LOGIN ARGS...` (with the
repository on PYTHONPATH). It runs the real `optout login` command in a window nobody sees; once the login page
is open it fills in the form (`email`), does nothing (`none`), browses to a page that needs no login
(`elsewhere`) or closes the window (`close`). Not shipped: the installed command has no way to be driven.
"""

from __future__ import annotations

import sys
from typing import Any

from native_host.cli.main import build_parser


def fill_form(page: Any) -> None:
    page.get_by_label("Email").fill("artist@example.com")
    page.get_by_label("Password").fill("a password")
    page.get_by_role("button", name="Log in").click()


def browse_elsewhere(page: Any) -> None:
    page.goto(page.url.split("/login")[0] + "/pins/that-need-no-login/")


PARTS = {"email": fill_form, "none": None, "elsewhere": browse_elsewhere, "close": lambda page: page.close()}


def main(argv: list[str]) -> int:
    part = "email"
    if argv[:1] == ["--form"]:
        part, argv = argv[1], argv[2:]
    args = build_parser().parse_args(["login", "--headless", *argv])
    return args.run(args, on_login_page=PARTS[part])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
