"""Two processes taking bundles at the same moment never lower the record of the highest verified version."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from native_host.rules import sources
from native_host.rules.paths import verified_path
from native_host.rules.signing import generate_private_key
from tests.host.test_host_unit import signed_bundle

OLDER, NEWER = "2099.1.1", "2099.2.1"


def test_an_older_bundle_taken_at_the_same_moment_as_a_newer_one_never_lowers_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = generate_private_key()
    older = signed_bundle(tmp_path, key=key, version=OLDER)
    newer = signed_bundle(tmp_path, key=key, version=NEWER)
    record = verified_path(tmp_path)
    older_is_writing, newer_has_written = threading.Event(), threading.Event()
    write = sources._write_atomically

    def interleaving(path: Path, text: str) -> None:
        # The older bundle's process has read the record and checked against it, and is slow to write: the worst
        # moment for the newer one to come in.
        if path == record and OLDER in text:
            older_is_writing.set()
            newer_has_written.wait(1.0)
        write(path, text)
        if path == record and NEWER in text:
            newer_has_written.set()

    monkeypatch.setattr(sources, "_write_atomically", interleaving)
    errors: list[BaseException] = []

    def take(bundle: dict) -> None:
        try:
            sources.accept_bundle(bundle, "pinterest", data_dir=tmp_path)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    first = threading.Thread(target=take, args=(older,))
    first.start()
    assert older_is_writing.wait(5)
    second = threading.Thread(target=take, args=(newer,))
    second.start()
    first.join(15)
    second.join(15)

    assert errors == []
    assert json.loads(record.read_text())["pinterest"]["version"] == NEWER
    assert sources.highest_verified("pinterest", tmp_path)[0] == NEWER
