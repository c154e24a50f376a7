"""Field reports: POST /api/v1/reports, their storage on SQLite and PostgreSQL, and `optout reports`."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_testkit import CHROME_ID

from native_host.cli.main import main
from native_host.rules.format import load_rules_file
from server import ConfigError
from server.report_review import ReviewError, accept_finding, next_version
from server.report_store import MIGRATIONS, ReportStore, finding_id
from tools.postgres_cluster import PostgresCluster

SETTING = "pinterest.ads.partner_info"


def report(**changes: Any) -> dict[str, Any]:
    document = {
        "format": 1,
        "platform": "pinterest",
        "origin": "https://www.pinterest.de",
        "page": "/settings/privacy",
        "language": "de-DE",
        "engine_version": "1.0.0",
        "rules_version": "2026.11.23",
        "not_found": [SETTING],
        "candidates": [
            {"label": "Partnerinformationen verwenden", "kind": "switch", "state": True},
            {"label": "Personalisierte Werbung", "kind": "checkbox", "state": None},
        ],
        "taught": {"setting": SETTING, "label": "Partnerinformationen verwenden"},
    }
    document.update(changes)
    return document


@pytest.fixture
def reports_app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    return make_app(DATABASE_URL=database_url, REPORTS_PER_MINUTE=1000)


def post(app: Flask, body: Any, key: str | None = None, client: str = "192.0.2.1", **kwargs: Any) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return app.test_client().post(
        "/api/v1/reports", json=body, headers=headers, environ_base={"REMOTE_ADDR": client}, **kwargs
    )


def store_of(app: Flask) -> ReportStore:
    return app.extensions["optout_reports"]


def test_a_valid_report_is_stored_and_answered_with_its_id(reports_app: Flask) -> None:
    answer = post(reports_app, report())
    assert answer.status_code == 202
    stored = store_of(reports_app).report(answer.get_json()["id"])
    assert stored is not None and stored["status"] == "new"
    assert stored["report"] == report()
    assert store_of(reports_app).count() == 1


def test_a_retried_post_is_stored_once(reports_app: Flask) -> None:
    first = post(reports_app, report(), key="3f1c-retry")
    again = post(reports_app, report(), key="3f1c-retry")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.get_json() == {"id": first.get_json()["id"], "duplicate": True}
    # Without a key the service derives one from the client and the report.
    derived = post(reports_app, report(page="/settings/privacy-and-data"))
    derived_again = post(reports_app, report(page="/settings/privacy-and-data"))
    assert derived_again.get_json()["id"] == derived.get_json()["id"]
    other_person = post(reports_app, report(page="/settings/privacy-and-data"), client="192.0.2.99")
    assert other_person.get_json()["id"] != derived.get_json()["id"]
    assert store_of(reports_app).count() == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"cookies": "_pinterest_sess=abc"},
        {"account": "someone"},
        {"origin": "https://www.pinterest.de/settings/privacy"},
        {"origin": "https://evil.example"},
        {"origin": "http://www.pinterest.de"},
        {"page": "/settings/privacy?user=someone"},
        {"page": "https://www.pinterest.de/settings"},
        {"platform": "myspace"},
        {"candidates": [{"label": "x" * 301, "kind": "switch", "state": True}]},
        {"candidates": [{"label": "Board: holidays", "kind": "switch", "state": True, "board": "holidays"}]},
        {"candidates": [{"label": f"label {n}", "kind": "switch", "state": False} for n in range(51)]},
        {"candidates": [{"label": "A", "kind": "slider", "state": True}]},
        {"taught": {"setting": SETTING, "label": "A", "url": "https://www.pinterest.de/me"}},
        {"not_found": ["not a setting id"]},
        {"language": "not a language!"},
        {"format": 2},
    ],
)
def test_anything_but_a_report_is_refused(reports_app: Flask, changes: dict[str, Any]) -> None:
    answer = post(reports_app, report(**changes))
    assert answer.status_code == 400
    assert answer.get_json()["error"]["name"] == "invalid_report"
    assert store_of(reports_app).count() == 0


def test_a_report_with_nothing_taught_is_accepted(reports_app: Flask) -> None:
    assert post(reports_app, report(taught=None, language="")).status_code == 202


def test_bodies_that_are_not_json_or_too_large_are_refused(reports_app: Flask) -> None:
    client = reports_app.test_client()
    not_json = client.post("/api/v1/reports", data="format=1", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415 and not_json.get_json()["error"]["name"] == "unsupported_media_type"
    broken = client.post("/api/v1/reports", data="{", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["error"]["name"] == "invalid_report"
    big = client.post("/api/v1/reports", data="x" * (16 * 1024 + 1), content_type="application/json")
    assert big.status_code == 413 and big.get_json()["error"]["status"] == 413
    assert store_of(reports_app).count() == 0


def test_the_rate_limit_refuses_one_client_and_not_the_others(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    app = make_app(DATABASE_URL=database_url, REPORTS_PER_MINUTE=3)
    answers = [post(app, report(page=f"/settings/{n}"), client="198.51.100.7") for n in range(5)]
    assert [answer.status_code for answer in answers].count(202) == 3
    refused = answers[-1]
    assert refused.status_code == 429 and refused.get_json()["error"]["name"] == "too_many_reports"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert post(app, report(), client="198.51.100.8").status_code == 202
    assert store_of(app).count() == 4


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_client(
    make_app: Callable[..., Flask], database_url: str, proxies: int
) -> None:
    app = make_app(DATABASE_URL=database_url, REPORTS_PER_MINUTE=1, PROXY_FIX=proxies)

    def from_client(address: str, page: str) -> int:
        headers = {"X-Forwarded-For": address}
        answer = app.test_client().post(
            "/api/v1/reports", json=report(page=page), headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}
        )
        return answer.status_code

    assert from_client("203.0.113.1", "/a") == 202
    # Without a trusted proxy the header is the client's own claim: ignored, so both come from 10.0.0.1.
    assert from_client("203.0.113.2", "/b") == (202 if proxies else 429)
    assert from_client("203.0.113.1", "/c") == 429


def test_the_extension_may_post_reports_across_origins(reports_app: Flask) -> None:
    preflight = reports_app.test_client().options(
        "/api/v1/reports",
        headers={
            "Origin": f"chrome-extension://{CHROME_ID}",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == f"chrome-extension://{CHROME_ID}"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"].lower()
    foreign = reports_app.test_client().options(
        "/api/v1/reports", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_migrations_are_numbered_idempotent_and_safe_to_start_together(database_url: str) -> None:
    stores = [ReportStore(database_url) for _ in range(4)]
    applied: list[list[int]] = []
    threads = [threading.Thread(target=lambda store=store: applied.append(store.migrate())) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(applied) == len(stores), "a start that ran at the same moment as another failed"
    steps = list(range(1, len(MIGRATIONS) + 1))
    assert sorted(step for steps_applied in applied for step in steps_applied) == steps
    assert stores[0].migrate() == []
    assert stores[0].schema_version() == len(MIGRATIONS)
    for store in stores:
        store.close()


def test_identical_findings_are_grouped_with_a_count(reports_app: Flask) -> None:
    for n in range(3):
        spaced = report(taught={"setting": SETTING, "label": "Partnerinformationen  verwenden "}, page=f"/p{n}")
        assert post(reports_app, spaced).status_code == 202
    post(reports_app, report(language="de-AT"))
    post(reports_app, report(taught=None))
    findings = store_of(reports_app).findings()
    assert [(found.language, found.wording, found.count) for found in findings] == [
        ("de-DE", "Partnerinformationen verwenden", 3),
        ("de-AT", "Partnerinformationen verwenden", 1),
    ]
    assert store_of(reports_app).untaught() == [("pinterest", SETTING, "de-DE", 1)]


def test_accepting_a_finding_adds_its_wording_to_the_rules_with_the_reports_as_source(
    reports_app: Flask, database_url: str, rules_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [post(reports_app, report(page=f"/p{n}")).get_json()["id"] for n in range(2)]
    rejected_id = post(reports_app, report(taught={"setting": SETTING, "label": "Nonsense"})).get_json()["id"]
    wanted = finding_id("pinterest", SETTING, "de-DE", "Partnerinformationen verwenden")
    rules_file = rules_dir / "pinterest.json"
    before = json.loads(rules_file.read_text())

    assert main(["reports", "--database", database_url, "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{wanted}      2 x" in listed and "'Nonsense'" in listed

    assert main(["reports", "--database", database_url, "accept", wanted, "--rules", str(rules_file)]) == 0
    after = json.loads(rules_file.read_text())
    setting = next(entry for entry in after["settings"] if entry["id"] == SETTING)
    assert setting["labels"][0] == "Partnerinformationen verwenden"
    assert wanted in setting["sources"][-1] and all(report_id in setting["sources"][-1] for report_id in ids)
    assert after["version"] != before["version"]
    assert [int(part) for part in after["version"].split(".")] > [int(part) for part in before["version"].split(".")]
    assert load_rules_file(rules_file).setting(SETTING).labels[0] == "Partnerinformationen verwenden"
    assert all(store_of(reports_app).report(report_id)["status"] == "accepted" for report_id in ids)

    nonsense = finding_id("pinterest", SETTING, "de-DE", "Nonsense")
    assert main(["reports", "--database", database_url, "reject", nonsense]) == 0
    assert store_of(reports_app).report(rejected_id)["status"] == "rejected"
    capsys.readouterr()
    assert main(["reports", "--database", database_url, "list"]) == 0
    assert capsys.readouterr().out.strip() == "No field reports with status new."
    assert json.loads(rules_file.read_text()) == after  # rejecting never touches the rules


def test_a_finding_for_a_setting_the_rules_lack_is_not_accepted(reports_app: Flask, rules_dir: Path) -> None:
    post(
        reports_app,
        report(not_found=["pinterest.ads.unknown"], taught={"setting": "pinterest.ads.unknown", "label": "Neu"}),
    )
    rules_file = rules_dir / "pinterest.json"
    before = rules_file.read_bytes()
    identifier = finding_id("pinterest", "pinterest.ads.unknown", "de-DE", "Neu")
    with pytest.raises(ReviewError, match="has no setting 'pinterest.ads.unknown'"):
        accept_finding(store_of(reports_app), identifier, rules_file)
    assert rules_file.read_bytes() == before
    assert store_of(reports_app).findings()[0].count == 1


def test_accepting_twice_the_same_day_still_raises_the_version() -> None:
    assert next_version("2026.11.20", "2026.11.23") == "2026.11.23"
    assert next_version("2026.11.23", "2026.11.23") == "2026.11.23.1"
    assert next_version("2026.11.23.1", "2026.11.23") == "2026.11.23.2"
    assert next_version("2027.1.1", "2026.11.23") == "2027.1.1.1"  # a version ahead of the clock still rises


@pytest.mark.parametrize(
    "url, problem",
    [
        ("mysql://localhost/reports", "must start with sqlite:/// or postgresql://"),
        ("postgresql://nobody@/reports?host=/nonexistent-socket-dir", "Cannot open the reports database"),
    ],
)
def test_a_database_that_cannot_be_used_stops_the_start_with_a_sentence(
    make_app: Callable[..., Flask], url: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError, match=problem):
        make_app(DATABASE_URL=url)
    assert main(["reports", "--database", url, "list"]) == 5
    error = capsys.readouterr().err
    assert problem in error and "Traceback" not in error


def test_a_dropped_postgresql_connection_is_opened_again(postgres_cluster: PostgresCluster) -> None:
    import psycopg

    url = postgres_cluster.create_database()
    store = ReportStore(url)
    store.migrate()
    assert store.count() == 0
    with psycopg.connect(url, autocommit=True) as other:
        other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(psycopg.OperationalError):
        store.count()  # the one request that was using the dropped connection fails (a 500, logged)
    assert store.count() == 0
    store.close()


def test_maintainers_see_findings_and_their_reports(
    reports_app: Flask, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [post(reports_app, report(page=f"/settings/{n}")).get_json()["id"] for n in range(2)]
    post(reports_app, report(taught=None, not_found=["pinterest.genai.canvas_training"]))
    capsys.readouterr()
    assert main(["reports", "--database", database_url, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(found["setting"], found["count"]) for found in listed["findings"]] == [(SETTING, 2)]
    assert listed["not_taught"] == [
        {"platform": "pinterest", "setting": "pinterest.genai.canvas_training", "language": "de-DE", "count": 1}
    ]
    assert main(["reports", "--database", database_url, "show", listed["findings"][0]["id"]]) == 0
    shown = capsys.readouterr().out
    assert "2 report(s)" in shown and all(f"{report_id}  " in shown for report_id in ids)
    assert "https://www.pinterest.de/settings/1" in shown
    assert main(["reports", "--database", database_url, "show", ids[0]]) == 0
    assert json.loads(capsys.readouterr().out)["report"]["page"] == "/settings/0"
