"""The login `optout login` keeps for the command line and scheduled runs, encrypted at rest.

The session's cookies (only the platform's own domain) are sealed with AES-256-GCM in
`<data dir>/sessions/<platform>.session`. The 256-bit key never sits next to them when the system has a keyring:
it goes into the OS keyring (macOS Keychain, Windows Credential Locker, the Secret Service on Linux) through the
`keyring` package, under the service "optout" and the name "<platform> session key". Where no keyring can be
used (none installed, a locked one, or `--no-keyring`), the key goes into `<data dir>/sessions/<platform>.key`,
readable by its owner only (0600). The session file says where its key is; it never holds a cookie value or the
key in the clear. Each login makes a new key; `optout logout` deletes the file and the key, wherever it is.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from native_host.paths import data_dir

KEYRING_SERVICE = "optout"
FORMAT = 1
NONCE_BYTES = 12

KeyPlace = Literal["keyring", "file"]
KEY_PLACE_WORDS = {"keyring": "your system keyring", "file": "a key file readable only by you"}


class LoginNeeded(Exception):
    """No saved login can be used; the message says how to log in."""


@dataclass(frozen=True)
class SavedLogin:
    platform: str
    cookies: list[dict[str, Any]]  # in the shape chrome.cookies.getAll gives
    saved_at: str
    practice: bool  # made on a practice site (a site map), never sent to the real one, nor the other way round
    key_place: KeyPlace


def sessions_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "sessions"


def session_path(platform: str, base: Path | None = None) -> Path:
    return sessions_dir(base) / f"{platform}.session"


def key_file_path(platform: str, base: Path | None = None) -> Path:
    return sessions_dir(base) / f"{platform}.key"


def keyring_name(platform: str) -> str:
    return f"{platform} session key"


def save_login(
    platform: str,
    cookies: list[dict[str, Any]],
    *,
    practice: bool,
    use_keyring: bool = True,
    base: Path | None = None,
) -> SavedLogin:
    """Seal `cookies` under a new key (the old login and its key are removed first)."""
    forget_login(platform, base)
    key = AESGCM.generate_key(bit_length=256)
    key_place = _keep_key(platform, key, use_keyring, base)
    saved_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    secret = json.dumps({"cookies": cookies, "saved_at": saved_at, "practice": practice}).encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, secret, _associated_data(platform))
    document = {
        "format": FORMAT,
        "platform": platform,
        "key": key_place,
        "nonce": base64.b64encode(nonce).decode(),
        "sealed": base64.b64encode(sealed).decode(),
    }
    _write_private(session_path(platform, base), json.dumps(document).encode())
    return SavedLogin(platform, cookies, saved_at, practice, key_place)


def load_login(platform: str, base: Path | None = None) -> SavedLogin | None:
    """The saved login, or None when there is none; LoginNeeded when it exists but cannot be opened."""
    path = session_path(platform, base)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LoginNeeded(f"The saved login in {path} cannot be read ({error.strerror}). {_again()}") from error
    damaged = LoginNeeded(
        f"The saved login in {path} cannot be opened: it was damaged, or its key was replaced. {_again()}"
    )
    try:
        document = json.loads(raw)
        key_place = document["key"]
        nonce = base64.b64decode(document["nonce"], validate=True)
        sealed = base64.b64decode(document["sealed"], validate=True)
        if document["format"] != FORMAT or document["platform"] != platform or key_place not in KEY_PLACE_WORDS:
            raise damaged
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, binascii.Error) as error:
        raise damaged from error
    key = _read_key(platform, key_place, base)
    try:
        secret = json.loads(AESGCM(key).decrypt(nonce, sealed, _associated_data(platform)))
        cookies, saved_at, practice = secret["cookies"], secret["saved_at"], secret["practice"]
    except (InvalidTag, ValueError, KeyError, TypeError) as error:
        raise damaged from error
    if not isinstance(cookies, list):
        raise damaged
    return SavedLogin(platform, cookies, saved_at, bool(practice), key_place)


def cookies_for_run(platform: str, name: str, practice: bool, base: Path | None = None) -> list[dict[str, Any]]:
    """The saved login's cookies for a run, refusing to cross between the practice site and the real one."""
    saved = load_login(platform, base)
    if saved is None:
        raise LoginNeeded(f"You are not logged in to {name} here. {_again(first=True)}")
    if saved.practice and not practice:
        raise LoginNeeded(f"The saved login is for a practice site, so it is not sent to the real {name}. {_again()}")
    if practice and not saved.practice:
        raise LoginNeeded(
            f"The saved login is for the real {name}; it is never sent to a practice site. "
            "Log in to the practice site with `optout login --site-map ...`, or pass --cookies."
        )
    return saved.cookies


def forget_login(platform: str, base: Path | None = None) -> list[str]:
    """Delete the saved login and its key wherever it is; returns what was removed, in words."""
    removed = []
    for path, what in ((session_path(platform, base), "the saved login"), (key_file_path(platform, base), "its key")):
        try:
            path.unlink()
            removed.append(f"{what} ({path})")
        except FileNotFoundError:
            pass
    if _delete_from_keyring(platform):
        removed.append(f"its key in your system keyring ({KEYRING_SERVICE} / {keyring_name(platform)})")
    return removed


def _again(first: bool = False) -> str:
    what = "log in" if first else "log in again"
    return f"Run `optout login` to {what}, or pass --cookies FILE."


def _associated_data(platform: str) -> bytes:
    # Binds the sealed cookies to this format and platform: a file renamed to another platform will not open.
    return f"optout-session/{FORMAT}/{platform}".encode()


def _keep_key(platform: str, key: bytes, use_keyring: bool, base: Path | None) -> KeyPlace:
    text = base64.b64encode(key).decode()
    if use_keyring and _store_in_keyring(platform, text):
        return "keyring"
    _write_private(key_file_path(platform, base), text.encode())
    return "file"


def _store_in_keyring(platform: str, text: str) -> bool:
    """True only when the keyring took the key and gives the same key back (a null keyring accepts and forgets)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_name(platform), text)
        return keyring.get_password(KEYRING_SERVICE, keyring_name(platform)) == text
    except Exception:  # noqa: BLE001 - any keyring backend failure (no backend, locked, D-Bus) means: use a file
        return False


def _delete_from_keyring(platform: str) -> bool:
    try:
        import keyring

        if keyring.get_password(KEYRING_SERVICE, keyring_name(platform)) is None:
            return False
        keyring.delete_password(KEYRING_SERVICE, keyring_name(platform))
        return True
    except Exception:  # noqa: BLE001 - nothing to delete where no keyring can be reached
        return False


def _read_key(platform: str, key_place: KeyPlace, base: Path | None) -> bytes:
    if key_place == "keyring":
        try:
            import keyring

            text = keyring.get_password(KEYRING_SERVICE, keyring_name(platform))
        except Exception as error:  # noqa: BLE001 - a locked or unreachable keyring is a reason, not a crash
            raise LoginNeeded(
                "The key to the saved login is in your system keyring, which cannot be opened from here (a "
                "scheduled run outside your desktop session cannot reach it). Run `optout login --no-keyring` to "
                "keep the key in a file instead."
            ) from error
        where = "your system keyring"
    else:
        path = key_file_path(platform, base)
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            text = None
        where = str(path)
    try:
        key = base64.b64decode(text or "", validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise LoginNeeded(f"The key to the saved login is missing from {where}. {_again()}")
    return key


def _write_private(path: Path, data: bytes) -> None:
    """Write owner-only (0600) and whole: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
    os.replace(partial, path)
