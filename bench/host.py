"""Benchmark the native messaging host as the browser uses it; prints JSON.

- cold start: a new host process per `hello`, timed from spawn to the reply frame (what a `sendNativeMessage`
  costs the extension; target under 150 ms);
- apply: one full `apply` through a host process on the replica with the real engine and headless Chromium.

Before timing, the helper's sources are compiled to bytecode, as pip and pipx do when they install it: a
machine with PYTHONDONTWRITEBYTECODE set would otherwise compile them again at every start (about 17 ms here).

    python bench/host.py [--runs 20] [--no-apply]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from native_host.messaging.framing import HEADER, encode_frame  # noqa: E402

BENCH_EXTENSION_ID = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
ORIGIN = f"chrome-extension://{BENCH_EXTENSION_ID}/"
COLD_START_TARGET_MS = 150.0


def bench_env(directory: Path, **extra: str) -> dict[str, str]:
    data = directory / "data"
    callers = data / "native-host" / "callers.json"
    callers.parent.mkdir(parents=True, exist_ok=True)
    callers.write_text(json.dumps({"chrome_ids": [BENCH_EXTENSION_ID], "gecko_ids": []}))
    home = directory / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPTOUT_")}
    env.update(
        OPTOUT_DATA_DIR=str(data),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def start_host(env: dict[str, str], site_map: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """The installed host, or with a site map the test-only practice entry point (the only one that takes one)."""
    from tests.support import practice_host

    command = (
        practice_host.command(sys.executable, site_map)
        if site_map
        else [sys.executable, "-m", "native_host.messaging.host"]
    )
    return subprocess.Popen(
        [*command, ORIGIN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )


def read_reply(stdout: BinaryIO) -> dict[str, Any]:
    header = stdout.read(HEADER.size)
    if len(header) != HEADER.size:
        raise RuntimeError("the host closed its stdout")
    (length,) = HEADER.unpack(header)
    return json.loads(stdout.read(length))


def cold_start(env: dict[str, str]) -> float:
    """Seconds from spawning a host to reading its `hello` reply."""
    started = time.perf_counter()
    process = start_host(env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(encode_frame({"id": "bench", "type": "hello"}))
    process.stdin.flush()
    reply = read_reply(process.stdout)
    elapsed = time.perf_counter() - started
    process.stdin.close()
    process.wait(10)
    if reply.get("event") != "result":
        raise RuntimeError(f"hello failed: {reply}")
    return elapsed


def bench_cold_start(directory: Path, runs: int) -> dict[str, Any]:
    env = bench_env(directory)
    cold_start(env)  # the first start also compiles bytecode and warms the file cache; not counted
    times = [cold_start(env) * 1000 for _ in range(runs)]
    median = statistics.median(times)
    return {
        "runs": runs,
        "median_ms": round(median, 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "target_ms": COLD_START_TARGET_MS,
        "meets_target": median < COLD_START_TARGET_MS,
    }


def bench_apply(directory: Path) -> dict[str, Any]:
    from replica import ReplicaConfig, serve

    with serve(ReplicaConfig()) as server:
        cookies = server.store.new_session()
        session = next(cookie["value"] for cookie in cookies if cookie["name"] == "_pinterest_sess")
        env = bench_env(directory)
        started = time.perf_counter()
        process = start_host(env, {"https://www.pinterest.com": server.url})
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(encode_frame({"id": "apply", "type": "apply", "platform": "pinterest", "cookies": cookies}))
        process.stdin.flush()
        progress, first_progress = 0, None
        while True:
            reply = read_reply(process.stdout)
            if reply["event"] != "progress":
                break
            progress += 1
            first_progress = first_progress or time.perf_counter() - started
        elapsed = time.perf_counter() - started
        process.stdin.close()
        process.wait(30)
        if reply["event"] != "result":
            raise RuntimeError(f"apply failed: {reply}")
        report = reply["data"]
        state = server.store.state(session)
    return {
        "status": report["status"],
        "seconds_to_result": round(elapsed, 2),
        "seconds_to_first_progress": round(first_progress or 0.0, 3),
        "engine_seconds": report["seconds"],
        "progress_events": progress,
        "settings": len(report["results"]),
        "changed": sum(1 for result in report["results"] if result["status"] == "changed"),
        "account_matches": all(state[result["id"]] == result["desired"] for result in report["results"]),
        "page_loads": report["page_loads"],
        "browser_launches": report["browser_launches"],
    }


def compile_as_installed() -> None:
    """Bytecode for the helper and the practice host, as an installed helper has it (pip compiles at install)."""
    import compileall

    for folder in (ROOT / "native_host", ROOT / "tests" / "support"):
        if not compileall.compile_dir(folder, quiet=1):
            raise RuntimeError(f"{folder} does not compile")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="cold starts to time (default: 20)")
    parser.add_argument("--no-apply", action="store_true", help="skip the full apply on the replica")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"python": sys.version.split()[0]}
    compile_as_installed()
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as temporary:
        directory = Path(temporary)
        results["cold_start_hello"] = bench_cold_start(directory / "cold", args.runs)
        if not args.no_apply:
            results["apply_on_replica"] = bench_apply(directory / "apply")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
