"""The saved login: sealed at rest, its key in the keyring or a 0600 file, and every way it can fail said in words."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from native_host.cli.session_vault import (
    LoginNeeded,
    cookies_for_run,
    forget_login,
    key_file_path,
    load_login,
    save_login,
    session_path,
)
from native_host.exit_codes import ExitCode
from tests.engine.file_keyring import FILE_ENV, FileKeyring

REPO = Path(__file__).resolve().parents[2]
COOKIES = [
    {"name": "_pinterest_sess", "value": "TWc9PSZsongSecretSessionValue", "domain": ".pinterest.com", "path": "/"},
    {"name": "csrftoken", "value": "csrf-0123456789abcdef", "domain": ".pinterest.com", "path": "/"},
]


@pytest.fixture()
def real_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    yield from _using(FileKeyring())


@pytest.fixture()
def no_keyring() -> Iterator[None]:
    yield from _using(fail.Keyring())


def _using(backend: keyring.backend.KeyringBackend) -> Iterator:
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(before)


def test_the_key_goes_to_the_keyring_and_the_file_holds_no_cookie(tmp_path, real_keyring):
    saved = save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    assert saved.key_place == "keyring" and not key_file_path("pinterest", tmp_path).exists()
    raw = session_path("pinterest", tmp_path).read_bytes()
    for cookie in COOKIES:
        assert cookie["value"].encode() not in raw and base64.b64encode(cookie["value"].encode()) not in raw
    assert json.loads(raw)["key"] == "keyring"
    assert stat.S_IMODE(session_path("pinterest", tmp_path).stat().st_mode) == 0o600
    loaded = load_login("pinterest", tmp_path)
    assert loaded is not None and loaded.cookies == COOKIES and loaded.key_place == "keyring"


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_without_a_usable_keyring_the_key_goes_to_an_owner_only_file(tmp_path, backend):
    for _ in _using(backend):
        saved = save_login("pinterest", COOKIES, practice=False, base=tmp_path)
        assert saved.key_place == "file"
        key_file = key_file_path("pinterest", tmp_path)
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(base64.b64decode(key_file.read_text())) == 32
        assert load_login("pinterest", tmp_path).cookies == COOKIES


def test_no_keyring_asked_for_keeps_the_key_in_a_file(tmp_path, real_keyring):
    assert save_login("pinterest", COOKIES, practice=False, use_keyring=False, base=tmp_path).key_place == "file"
    assert not Path(os.environ[FILE_ENV]).exists()  # the keyring was never asked


def test_logout_removes_the_file_and_the_key_wherever_it_is(tmp_path, real_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    removed = forget_login("pinterest", tmp_path)
    assert len(removed) == 2 and "system keyring" in removed[1]
    assert json.loads(Path(os.environ[FILE_ENV]).read_text()) == {}
    assert load_login("pinterest", tmp_path) is None
    assert forget_login("pinterest", tmp_path) == []


def test_a_damaged_file_is_a_sentence(tmp_path, no_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    path = session_path("pinterest", tmp_path)
    document = json.loads(path.read_bytes())
    sealed = bytearray(base64.b64decode(document["sealed"]))
    sealed[5] ^= 1
    path.write_text(json.dumps({**document, "sealed": base64.b64encode(bytes(sealed)).decode()}))
    with pytest.raises(LoginNeeded, match="cannot be opened: it was damaged"):
        load_login("pinterest", tmp_path)
    path.write_bytes(b"\x00\xffnot json")
    with pytest.raises(LoginNeeded, match="optout login"):
        load_login("pinterest", tmp_path)


def test_a_replaced_key_or_a_renamed_file_does_not_open(tmp_path, no_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    old = session_path("pinterest", tmp_path).read_bytes()
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)  # a new login: a new key
    session_path("pinterest", tmp_path).write_bytes(old)
    with pytest.raises(LoginNeeded, match="its key was replaced"):
        load_login("pinterest", tmp_path)
    session_path("linkedin", tmp_path).write_bytes(old)
    key_file_path("linkedin", tmp_path).write_bytes(key_file_path("pinterest", tmp_path).read_bytes())
    with pytest.raises(LoginNeeded, match="damaged"):
        load_login("linkedin", tmp_path)


def test_a_missing_key_is_a_sentence(tmp_path, no_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    key_file_path("pinterest", tmp_path).unlink()
    with pytest.raises(LoginNeeded, match="key to the saved login is missing"):
        load_login("pinterest", tmp_path)


def test_a_keyring_that_cannot_be_reached_later_is_a_sentence(tmp_path, real_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    for _ in _using(fail.Keyring()):
        with pytest.raises(LoginNeeded, match="--no-keyring"):
            load_login("pinterest", tmp_path)


def test_practice_and_real_logins_never_cross(tmp_path, no_keyring):
    with pytest.raises(LoginNeeded, match="optout login"):
        cookies_for_run("pinterest", "Pinterest", practice=False, base=tmp_path)
    save_login("pinterest", COOKIES, practice=True, base=tmp_path)
    assert cookies_for_run("pinterest", "Pinterest", practice=True, base=tmp_path) == COOKIES
    with pytest.raises(LoginNeeded, match="practice site"):
        cookies_for_run("pinterest", "Pinterest", practice=False, base=tmp_path)
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    with pytest.raises(LoginNeeded, match="never sent to a practice site"):
        cookies_for_run("pinterest", "Pinterest", practice=True, base=tmp_path)


def test_check_with_a_damaged_saved_login_exits_3_with_a_sentence(tmp_path, no_keyring):
    save_login("pinterest", COOKIES, practice=False, base=tmp_path)
    session_path("pinterest", tmp_path).write_text('{"format": 1, "platform": "pinterest", "key": "file"}')
    env = {**os.environ, "OPTOUT_DATA_DIR": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run(
        [sys.executable, "-m", "native_host", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert "cannot be opened" in result.stderr and "optout login" in result.stderr
    assert "Traceback" not in result.stderr
