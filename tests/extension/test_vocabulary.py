"""extension/shared/vocabulary.js is exactly what tools/vocabulary.py generates from the Python sources."""

from pathlib import Path

import pytest

from native_host.messaging.errors import ErrorCode
from native_host.rules.domains import domains_of
from native_host.statuses import RunStatus, SettingReason, SettingStatus
from tools import vocabulary


def test_the_checked_in_file_is_what_the_command_generates() -> None:
    assert vocabulary.TARGET.read_text(encoding="utf-8") == vocabulary.expected(), (
        "extension/shared/vocabulary.js is out of date: run .venv/bin/python -m tools.vocabulary"
    )


def test_every_python_word_reaches_the_generated_file() -> None:
    text = vocabulary.expected()
    for member in [*SettingStatus, *RunStatus, *SettingReason]:
        assert f'  {member.name}: "{member.value}",\n' in text
    for code in ErrorCode:
        assert f"  {code.name}: {code.value},\n" in text
    assert '  NOT_SAVED: "not_saved",\n' in text  # contract 3
    assert '  UNKNOWN_LANGUAGE: "unknown_language",\n' in text  # the reason the extension shows in words
    assert "  MAX_LANGUAGES: 10,\n" in text  # what a run may send as `languages`
    for site in domains_of("pinterest").sites:  # the extension's one list of Pinterest's sites
        assert f'cookieDomain: "{site.cookie_domain}", home: "{site.home}"' in text
    assert 'export const SESSION_COOKIE = "_pinterest_sess";' in text


def test_progress_steps_come_from_the_protocol_document() -> None:
    sentence = "`step` is one of `launching`, `setting_done`, `finished`.\n"
    assert vocabulary.progress_steps(sentence) == ["launching", "setting_done", "finished"]
    with pytest.raises(SystemExit):
        vocabulary.progress_steps("no such sentence")


def test_check_fails_on_a_stale_file_and_writing_fixes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "vocabulary.js"
    stale.write_text("export const PROTOCOL_VERSION = 0;\n", encoding="utf-8")
    monkeypatch.setattr(vocabulary, "TARGET", stale)
    monkeypatch.setattr(vocabulary, "ROOT", tmp_path)
    assert vocabulary.main(["--check"]) == 1
    assert vocabulary.main([]) == 0
    assert vocabulary.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == vocabulary.expected()
