"""extension/shared/vocabulary.js says exactly what the Python side defines."""

import json
import re

from native_host.errors import ErrorCode
from native_host.protocol import HOST_NAME, PROTOCOL_VERSION, Event, MessageType
from native_host.statuses import GOOD_SETTING_STATUSES, RunStatus, SettingStatus

from .browser import EXTENSION, ROOT

SOURCE = (EXTENSION / "shared" / "vocabulary.js").read_text()


def frozen_object(name: str) -> dict[str, object]:
    match = re.search(rf"export const {name} = Object\.freeze\(\{{(.*?)\}}\);", SOURCE, re.S)
    assert match, f"vocabulary.js has no {name}"
    entries = re.findall(r"^\s*([A-Z_]+):\s*(\"[^\"]*\"|\d+),\s*$", match.group(1), re.M)
    body_lines = [line for line in match.group(1).strip().splitlines() if line.strip()]
    assert len(entries) == len(body_lines), f"{name} has a line the test cannot read"
    return {key: json.loads(value) for key, value in entries}


def test_message_types() -> None:
    assert frozen_object("MessageType") == {member.name: member.value for member in MessageType}


def test_reply_events() -> None:
    assert frozen_object("ReplyEvent") == {member.name: member.value for member in Event}


def test_setting_statuses() -> None:
    assert frozen_object("SettingStatus") == {member.name: member.value for member in SettingStatus}


def test_run_statuses() -> None:
    assert frozen_object("RunStatus") == {member.name: member.value for member in RunStatus}


def test_error_codes() -> None:
    assert frozen_object("ErrorCode") == {member.name: member.value for member in ErrorCode}


def test_good_setting_statuses() -> None:
    match = re.search(r"GOOD_SETTING_STATUSES = Object\.freeze\(\[(.*?)\]\);", SOURCE, re.S)
    assert match
    names = re.findall(r"SettingStatus\.([A-Z_]+)", match.group(1))
    assert {SettingStatus[name] for name in names} == set(GOOD_SETTING_STATUSES)


def test_progress_steps_match_the_protocol_document() -> None:
    protocol = (ROOT / "docs" / "protocol.md").read_text()
    sentence = re.search(r"`step` is one of (.*?)\.\n", protocol)
    assert sentence
    documented = re.findall(r"`([a-z_]+)`", sentence.group(1))
    assert list(frozen_object("ProgressStep").values()) == documented


def test_protocol_version_and_host_name() -> None:
    assert re.search(rf"export const PROTOCOL_VERSION = {PROTOCOL_VERSION};", SOURCE)
    assert re.search(rf'export const HOST_NAME = "{re.escape(HOST_NAME)}";', SOURCE)
