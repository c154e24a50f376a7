"""A keyring backend for tests: a JSON file named by $OPTOUT_TEST_KEYRING, shared by the test and its subprocesses.

Chosen through keyring's own switch, `PYTHON_KEYRING_BACKEND=tests.engine.file_keyring.FileKeyring`, so the code
under test goes through the real `keyring` API, as it would with the macOS Keychain or the Secret Service.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "tests.engine.file_keyring.FileKeyring"
FILE_ENV = "OPTOUT_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    priority = 1

    def _entries(self) -> dict[str, str]:
        path = Path(os.environ[FILE_ENV])
        return json.loads(path.read_text()) if path.exists() else {}

    def _write(self, entries: dict[str, str]) -> None:
        Path(os.environ[FILE_ENV]).write_text(json.dumps(entries))

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self._entries(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self._write(entries)
