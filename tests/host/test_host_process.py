"""The host as the browser starts it: a subprocess speaking frames on stdin/stdout, stdout parsed strictly."""

import json
import random
import subprocess
import sys
import threading

from native_host.messaging.framing import HEADER, MAX_REQUEST_BYTES, decode_frames
from native_host.messaging.protocol import MessageType

from .conftest import ORIGIN, ROOT, HostProcess, frame

FUZZ_FRAMES = 3000


def test_every_message_type(host: HostProcess) -> None:
    hello = host.request({"id": "1", "type": "hello", "protocol": 1})
    assert hello["event"] == "result" and hello["data"]["protocol"] == 1
    assert set(hello["data"]["capabilities"]) >= {"check", "apply", "cancel", "status", "history", "rules", "progress"}
    rules = host.request({"id": "2", "type": "rules", "platform": "pinterest"})
    assert rules["data"]["rules"]["platform"] == "pinterest" and rules["data"]["source"] == "shipped"
    status = host.request({"id": "3", "type": "status", "platform": "pinterest"})
    assert status["data"] == {"platform": "pinterest", "settings": {}, "last_run": None}
    history = host.request({"id": "4", "type": "history", "page": 1, "page_size": 5})
    assert history["data"]["runs"] == [] and history["data"]["total"] == 0
    cancel = host.request({"id": "5", "type": "cancel", "run": "nothing"})
    assert cancel["error"]["name"] == "not_running"
    check = host.request({"id": "6", "type": "check", "platform": "pinterest", "cookies": [], "settings": ["nope"]})
    assert check["error"]["name"] == "unknown_setting" and check["type"] == "check"
    apply = host.request({"id": "7", "type": "apply", "platform": "pinterest", "cookies": [], "bundle": {"x": 1}})
    assert apply["error"]["name"] == "rules_refused" and apply["type"] == "apply"
    unknown = host.request({"id": "8", "type": "reboot"})
    assert (
        unknown["error"]
        == {
            "code": 3,
            "name": "unknown_type",
            "message": unknown["error"]["message"],
        }
        and unknown["type"] is None
    )
    newer = host.request({"id": "9", "type": "hello", "protocol": 2})
    assert newer["error"]["name"] == "unsupported_protocol"
    assert host.finish() == 0
    assert host.stray == []


def test_oversized_request_is_dropped_and_the_host_goes_on(host: HostProcess) -> None:
    host.send_raw(HEADER.pack(MAX_REQUEST_BYTES + 1) + b"{" * (MAX_REQUEST_BYTES + 1))
    too_large = host.recv()
    assert too_large["id"] is None and too_large["error"]["name"] == "too_large"
    assert host.request({"id": "after", "type": "hello"})["event"] == "result"
    assert host.finish() == 0 and host.stray == []


def test_forbidden_caller_is_refused(env) -> None:
    for args in (["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"], [], ["/manifest.json", "evil@example.com"]):
        host = HostProcess(env, args=args)
        try:
            reply = host.request({"id": "h", "type": "hello"})
            assert reply["error"]["name"] == "forbidden_caller", args
            assert host.finish() == 0 and host.stray == []
        finally:
            host.close()


def test_truncated_stream_ends_the_host_cleanly(env) -> None:
    for tail in (b"", b"\x07\x00", HEADER.pack(50) + b'{"id":', HEADER.pack(MAX_REQUEST_BYTES + 5) + b"x" * 1000):
        host = HostProcess(env)
        try:
            host.send({"id": "h", "type": "hello"})
            host.send_raw(tail)
            assert host.recv()["event"] == "result"
            assert host.finish(timeout=10) == 0
            assert host.stray == []
        finally:
            host.close()


def malformed_frames(rng: random.Random, count: int) -> list[tuple[bytes, str | None]]:
    """(frame, the id its reply must carry or None) for `count` hostile frames of many kinds."""
    types = [member.value for member in MessageType] + ["", "HELLO", "nope", "apply "]
    junk_values = [None, True, 0, -1, 2**70, 1.5, "", "x" * 70, [], {}, [1, "a"], {"a": {"b": []}}]
    frames: list[tuple[bytes, str | None]] = []
    for n in range(count):
        kind = rng.randrange(9)
        request_id = f"f{n}"
        if kind == 0:
            body = rng.randbytes(rng.randrange(0, 300))
            frames.append((frame(body), None))
            continue
        if kind == 1:
            body = rng.choice([b"[]", b"123", b'"str"', b"null", b"[" * 5000, b"\xef\xbb\xbf{}", b"NaN", b"1e99999"])
            frames.append((frame(body), None))
            continue
        if kind == 2:
            body = b'{"id": "' + request_id.encode() + b'", "type": "hello", "x": ' + b"9" * 5000 + b"}"
            frames.append((frame(body), None))
            continue
        document = {"id": request_id, "type": rng.choice(types)}
        for field in rng.sample(["platform", "cookies", "settings", "run", "page", "page_size", "protocol"], 3):
            document[field] = rng.choice(junk_values + ["pinterest"])
        if document["type"] in ("check", "apply"):
            document["cookies"] = rng.choice([None, "cookies", [1], [{"name": 1}], {}])  # never a real run
        if kind == 3:
            document["id"] = rng.choice(junk_values)
            frames.append((frame(document), None))
            continue
        if kind == 4:
            del document["type"]
        frames.append((frame(document), request_id))
    return frames


def test_thousands_of_malformed_frames_never_crash_hang_or_leak_stray_bytes(host: HostProcess) -> None:
    frames = malformed_frames(random.Random(20261122), FUZZ_FRAMES)
    writer = threading.Thread(target=lambda: host.send_raw(b"".join(data for data, _ in frames)), daemon=True)
    writer.start()
    replies = [host.recv(timeout=20) for _ in frames]
    writer.join(10)
    for (_, expected_id), reply in zip(frames, replies, strict=True):
        assert reply["event"] in ("result", "error")
        if expected_id is not None:
            assert reply["id"] == expected_id
        if reply["event"] == "error":
            assert reply["error"]["code"] != 99, reply  # nothing reached an internal error
    assert host.request({"id": "still-alive", "type": "hello"})["event"] == "result"
    assert host.finish(timeout=10) == 0
    assert host.stray == []
    assert host.proc.returncode == 0


def test_replies_carry_the_request_id_even_for_invalid_requests(host: HostProcess) -> None:
    reply = host.request({"id": "x1", "type": "history", "page": "first"})
    assert reply["type"] == "history" and reply["error"]["name"] == "bad_request"
    body = json.dumps({"id": "x2", "type": "status"}).encode()
    host.send_raw(HEADER.pack(len(body)) + body)
    assert host.recv()["id"] == "x2"


def test_hello_keeps_heavy_imports_off_the_start_up_path(env) -> None:
    script = (
        "import sys\n"
        "from native_host.messaging.host import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = sorted(name for name in ('playwright', 'jsonschema', 'cryptography', 'sqlite3',"
        " 'native_host.engine.run') if name in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
        "sys.exit(code)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, ORIGIN],
        input=frame({"id": "h", "type": "hello"}),
        capture_output=True,
        timeout=30,
        cwd=ROOT,
        env=env,
    )
    assert completed.returncode == 0
    assert [reply["event"] for reply in decode_frames(completed.stdout)] == ["result"]
    assert "HEAVY=\n" in completed.stderr.decode()


def test_the_practice_host_reads_its_site_map_without_loading_a_server() -> None:
    # The benches time the practice host as the stand-in for the installed one: its start must not carry the
    # TLS proxies (engine/site_map_proxy.py) that only the browser-side tests run.
    script = (
        "import sys\n"
        "sys.argv = ['practice_host', '--site-map', 'https://www.pinterest.com=http://127.0.0.1:9']\n"
        "import tests.support.practice_host\n"
        "heavy = sorted(name for name in ('http.server', 'http.client', 'ssl', 'native_host.engine.site_map_proxy')"
        " if name in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30, cwd=ROOT, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "HEAVY="
