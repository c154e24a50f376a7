"""Load-test field reports: POST /api/v1/reports under gunicorn (2 workers) on SQLite and on PostgreSQL; prints JSON.

    .venv/bin/python bench/reports.py [--reports 10000] [--clients 20] [--databases sqlite,postgresql]

For each database: a fresh one (PostgreSQL: a throwaway server from Debian's packages, on a unix socket), the
documented gunicorn deployment on a loopback port, and `--clients` threads in one process, each with its own
keep-alive connection, posting its share of the reports with a unique Idempotency-Key and retrying a failed post
with the same key (at most 5 tries); one report in 50 is posted a second time with its key, as a client does when
an answer is lost. Then the database is counted: every report there once, none lost, none
duplicated. The rate limit is raised for that phase (every bench client shares the address 127.0.0.1); a second
phase restarts the service with a limit of --limit reports a minute and has one client send more than that.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server.report_store import ReportStore, sqlite_url  # noqa: E402
from tools.postgres_cluster import PostgresCluster, find_binaries  # noqa: E402

PATH = "/api/v1/reports"
TRIES = 5
RESEND_EVERY = 50  # one report in this many is posted twice with its key, and must come back with the same id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, data_dir: str, database_url: str, per_minute: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "-c", str(REPO / "server" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    environment = {
        **os.environ,
        "OPTOUT_DATA_DIR": data_dir,
        "OPTOUT_SERVER_DATABASE_URL": database_url,
        "OPTOUT_SERVER_REPORTS_PER_MINUTE": str(per_minute),
    }
    process = subprocess.Popen(command, cwd=REPO, env=environment, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz in time")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def report_body(client: int, number: int) -> bytes:
    document = {
        "format": 1,
        "platform": "pinterest",
        "origin": "https://www.pinterest.com",
        "page": f"/settings/privacy/{client}",
        "language": "en-US",
        "engine_version": "1.0.0",
        "rules_version": "2026.11.23",
        "not_found": ["pinterest.ads.partner_info"],
        "candidates": [{"label": f"Use partner info {number % 7}", "kind": "switch", "state": True}],
        "taught": {"setting": "pinterest.ads.partner_info", "label": f"Use partner info {number % 7}"},
    }
    return json.dumps(document).encode()


class Client:
    """One person's copy: its own keep-alive connection, posting reports one after another."""

    def __init__(self, port: int, number: int) -> None:
        self.port = port
        self.number = number
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.latencies: list[float] = []
        self.ids: list[str] = []
        self.statuses: dict[int, int] = {}
        self.retries = 0
        self.failed = 0
        self.resent = 0
        self.resent_same_id = 0

    def post(self, body: bytes, key: str) -> int | None:
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        for _ in range(TRIES):
            started = time.perf_counter()
            try:
                self.connection.request("POST", PATH, body=body, headers=headers)
                response = self.connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException):
                self.retries += 1
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
            if response.status == 202:
                self.ids.append(json.loads(answer)["id"])
            return response.status
        self.failed += 1
        return None

    def send(self, count: int) -> None:
        for number in range(count):
            body, key = report_body(self.number, number), str(uuid.uuid4())
            self.post(body, key)
            if number % RESEND_EVERY == 0:  # as if the answer had been lost: the same report, the same key
                first = self.ids[-1] if self.ids else None
                self.post(body, key)
                self.resent += 1
                self.resent_same_id += int(bool(self.ids) and self.ids.pop() == first)
        self.connection.close()


def load_phase(port: int, reports: int, clients: int) -> tuple[dict, list[str]]:
    people = [Client(port, number) for number in range(clients)]
    shares = [reports // clients + (1 if number < reports % clients else 0) for number in range(clients)]
    threads = [
        threading.Thread(target=person.send, args=(share,)) for person, share in zip(people, shares, strict=True)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = sorted(latency for person in people for latency in person.latencies)
    statuses: dict[str, int] = {}
    for person in people:
        for status, count in person.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    ids = [report_id for person in people for report_id in person.ids]
    requests = len(latencies)
    figures = {
        "reports": reports,
        "requests": requests,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(requests / elapsed),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 2),
        "statuses": statuses,
        "retries": sum(person.retries for person in people),
        "resent": sum(person.resent for person in people),
        "resent_answered_same_id": sum(person.resent_same_id for person in people),
        "gave_up": sum(person.failed for person in people),
    }
    return figures, ids


def rate_limit_phase(port: int, limit: int) -> dict:
    # A fixed one-minute window: start early in one, so every post below lands in the same window.
    if time.time() % 60 > 45:
        time.sleep(60 - time.time() % 60 + 0.5)
    person = Client(port, 0)
    sent = limit + limit // 2
    for number in range(sent):
        body = report_body(0, number)
        person.post(body, str(uuid.uuid4()))
    person.connection.close()
    accepted, refused = person.statuses.get(202, 0), person.statuses.get(429, 0)
    return {
        "limit_per_minute": limit,
        "sent": sent,
        "accepted": accepted,
        "refused_429": refused,
        "holds": accepted == limit and refused == sent - limit,
    }


def bench_database(kind: str, reports: int, clients: int, limit: int, cluster: PostgresCluster | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="optout-bench-reports-") as data_dir:
        url = cluster.create_database() if cluster else sqlite_url(data_dir)
        port = free_port()
        server = start_gunicorn(port, data_dir, url, per_minute=reports * 10)
        try:
            figures, ids = load_phase(port, reports, clients)
        finally:
            stop(server)
        store = ReportStore(url)
        stored = store.report_ids()
        store.close()
        figures["stored_rows"] = len(stored)
        figures["lost"] = len(set(ids) - set(stored)) + (reports - len(set(ids)))
        figures["duplicated"] = len(stored) - len(set(stored)) + (len(ids) - len(set(ids)))
        figures["none_lost_none_duplicated"] = len(stored) == reports == len(set(ids)) and set(ids) == set(stored)

        limited_url = cluster.create_database() if cluster else sqlite_url(Path(data_dir) / "limited")
        server = start_gunicorn(port, data_dir, limited_url, per_minute=limit)
        try:
            figures["rate_limit"] = rate_limit_phase(port, limit)
        finally:
            stop(server)
        return {"database": kind, **figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--limit", type=int, default=60, help="reports a minute in the rate-limit phase")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    results = []
    cluster = None
    kinds = args.databases.split(",")
    try:
        for kind in kinds:
            if kind == "postgresql":
                binaries = find_binaries()
                if binaries is None:
                    results.append({"database": kind, "skipped": "no PostgreSQL server is installed"})
                    continue
                cluster = PostgresCluster(binaries).start()
            results.append(bench_database(kind, args.reports, args.clients, args.limit, cluster))
    finally:
        if cluster:
            cluster.stop()
    print(json.dumps({"bench": "reports", "workers": 2, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
