"""Load-test the rules service under gunicorn (2 workers) on a loopback port; prints JSON.

    .venv/bin/python bench/server.py [--seconds 8] [--clients 2] [--threads 4] [--worker-class gthread]

Measures GET /api/v1/rules/pinterest (200, the signed bundle) and the same request with If-None-Match (304),
then the same bundle from the files `optout publish` writes, served by a plain static server (Python's
http.server, one process, no keep-alive: a floor, not what a CDN or nginx would do).
The load comes from a separate process holding keep-alive connections, for a bounded time: `wrk` when it is
installed (apt-get install wrk; it costs the shared CPUs least), else Python processes using http.client.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATH = "/api/v1/rules/pinterest"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, data_dir: str, worker_class: str, threads: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # The documented deployment (server/gunicorn.conf.py: 2 workers, --preload, the request limits), on a free port.
    command = [
        str(gunicorn),
        "-c", str(REPO / "server" / "gunicorn.conf.py"),
        "--worker-class", worker_class,
        "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    environment = {**os.environ, "OPTOUT_DATA_DIR": data_dir}
    return subprocess.Popen(command, cwd=REPO, env=environment, start_new_session=True)


def start_static_server(port: int, data_dir: str, site: str) -> subprocess.Popen:
    """`optout publish` into `site`, then Python's plain static file server on it."""
    environment = {**os.environ, "OPTOUT_DATA_DIR": data_dir}
    optout = Path(sys.executable).with_name("optout")
    subprocess.run([str(optout), "publish", site], cwd=REPO, env=environment, check=True, capture_output=True)
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", site, str(port)]
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 20.0, path: str = "/healthz") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not answer {path} in time")


def client_process(port: int, headers: dict[str, str], expected: int, stop_at: float, threads: int, queue) -> None:
    """One load process: `threads` keep-alive connections, each sending requests back to back until `stop_at`."""
    import threading

    results: list[list[float]] = []
    errors = [0]

    def loop() -> None:
        latencies: list[float] = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", PATH, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != expected:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies.append(time.perf_counter() - started)
        connection.close()
        results.append(latencies)

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(([latency for latencies in results for latency in latencies], errors[0]))


def measure(port: int, headers: dict[str, str], expected: int, seconds: float, clients: int, threads: int) -> dict:
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    queue = context.Queue()
    # Warm up: connections open, code paths hot.
    run_load(context, queue, port, headers, expected, 1.0, clients, threads)
    started = time.monotonic()
    latencies, errors = run_load(context, queue, port, headers, expected, seconds, clients, threads)
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2) if latencies else None,
    }


def measure_with_wrk(port: int, headers: dict[str, str], seconds: float, connections: int) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{PATH}")
    subprocess.run([*command[:3], "-d1s", *command[4:]], capture_output=True, check=True, timeout=30)  # warm up
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    elapsed = float(re.search(r"requests in ([\d.]+)s", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": requests,
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "seconds": elapsed,
        "requests_per_second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))),
        "p50_ms": _wrk_milliseconds(re.search(r"50%\s+([\d.]+)(us|ms|s)", output)),
        "p99_ms": _wrk_milliseconds(re.search(r"99%\s+([\d.]+)(us|ms|s)", output)),
    }


def _wrk_milliseconds(match: re.Match | None) -> float | None:
    if match is None:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def run_load(context, queue, port, headers, expected, seconds, clients, threads) -> tuple[list[float], int]:
    stop_at = time.monotonic() + seconds
    processes = [
        context.Process(target=client_process, args=(port, headers, expected, stop_at, threads, queue))
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    errors = 0
    for _ in processes:
        part, failed = queue.get(timeout=seconds + 30)
        latencies.extend(part)
        errors += failed
    for process in processes:
        process.join(timeout=10)
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per scenario (max 20)")
    parser.add_argument("--clients", type=int, default=2, help="load processes")
    parser.add_argument("--threads", type=int, default=4, help="keep-alive connections per load process")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (default: gthread)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    args = parser.parse_args()
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    connections = args.clients * args.threads
    seconds = min(args.seconds, 20.0)  # bounded: three scenarios stay around a minute
    load_average_before = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_gunicorn(port, data_dir, args.worker_class, args.server_threads)
        try:
            wait_until_up(port, server)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=5) as response:
                etag = response.headers["ETag"]
            conditional = {"If-None-Match": etag}
            if use_wrk:
                load = f"wrk, 1 thread, {connections} keep-alive connections, {seconds:g} s each"
                ok = measure_with_wrk(port, {}, seconds, connections)
                not_modified = measure_with_wrk(port, conditional, seconds, connections)
            else:
                load = f"Python http.client, {args.clients} processes x {args.threads} keep-alive connections"
                ok = measure(port, {}, 200, seconds, args.clients, args.threads)
                not_modified = measure(port, conditional, 304, seconds, args.clients, args.threads)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        static_port = free_port()
        static = start_static_server(static_port, data_dir, str(Path(data_dir) / "site"))
        try:
            wait_until_up(static_port, static, path=PATH)
            if use_wrk:
                static_ok = measure_with_wrk(static_port, {}, seconds, connections)
            else:
                static_ok = measure(static_port, {}, 200, seconds, args.clients, args.threads)
        finally:
            os.killpg(static.pid, signal.SIGTERM)
            static.wait(timeout=10)
    report = {
        "server": f"gunicorn, 2 workers ({args.worker_class}, {args.server_threads} threads each), 127.0.0.1",
        "static_server": "the files of `optout publish`, served by python -m http.server (1 process), 127.0.0.1",
        "load": load,
        "cpus": os.cpu_count(),
        "load_average_before": load_average_before,
        "rules_200": ok,
        "rules_304": not_modified,
        "static_rules_200": static_ok,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
