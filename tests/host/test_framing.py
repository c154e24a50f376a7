import io
import json
import os
import subprocess
import sys

import pytest

from native_host.messaging.framing import (
    HEADER,
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    FrameTooLarge,
    FrameWriter,
    ReplyTooLarge,
    StreamClosed,
    decode_frames,
    encode_frame,
    encode_message,
    read_frame,
)

from .conftest import ROOT


def padded(size: int) -> dict:
    """A message whose UTF-8 JSON body is exactly `size` bytes."""
    overhead = len(encode_message({"pad": ""}))
    return {"pad": "x" * (size - overhead)}


@pytest.mark.parametrize(
    "message",
    [
        {},
        {"id": "a", "type": "hello"},
        {"text": "Pinterest ✓ 日本語 \u2028 emoji 🎨"},
        {"nested": [1, 2.5, None, True]},
    ],
)
def test_round_trip(message: dict) -> None:
    data = encode_frame(message)
    assert read_frame(io.BytesIO(data)) == encode_message(message)
    assert decode_frames(data) == [message]


def test_header_is_native_order_length_of_utf8_body() -> None:
    data = encode_frame({"a": "é"})
    body = '{"a":"é"}'.encode()
    assert data == len(body).to_bytes(4, sys.byteorder) + body


def test_reply_of_exactly_one_megabyte_is_written_and_one_byte_more_is_refused() -> None:
    exact = encode_frame(padded(MAX_REPLY_BYTES))
    assert len(exact) == HEADER.size + MAX_REPLY_BYTES
    assert json.loads(read_frame(io.BytesIO(exact))) == padded(MAX_REPLY_BYTES)
    with pytest.raises(ReplyTooLarge):
        encode_frame(padded(MAX_REPLY_BYTES + 1))


def test_writer_writes_nothing_for_an_oversized_reply() -> None:
    stream = io.BytesIO()
    writer = FrameWriter(stream)
    with pytest.raises(ReplyTooLarge):
        writer.send(padded(MAX_REPLY_BYTES + 1))
    writer.send({"ok": True})
    assert decode_frames(stream.getvalue()) == [{"ok": True}]


def test_request_at_the_limit_is_read_and_one_over_is_dropped_keeping_the_stream_in_step() -> None:
    at_limit = HEADER.pack(MAX_REQUEST_BYTES) + b"a" * MAX_REQUEST_BYTES
    over = HEADER.pack(MAX_REQUEST_BYTES + 1) + b"b" * (MAX_REQUEST_BYTES + 1)
    stream = io.BytesIO(at_limit + over + encode_frame({"next": 1}))
    assert len(read_frame(stream)) == MAX_REQUEST_BYTES
    with pytest.raises(FrameTooLarge) as raised:
        read_frame(stream)
    assert raised.value.length == MAX_REQUEST_BYTES + 1
    assert json.loads(read_frame(stream)) == {"next": 1}
    with pytest.raises(StreamClosed):
        read_frame(stream)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x05", b"\x05\x00\x00", HEADER.pack(10) + b"short", HEADER.pack(MAX_REQUEST_BYTES + 10) + b"x" * 100],
    ids=["empty", "one header byte", "three header bytes", "short body", "short oversized body"],
)
def test_truncated_stream_is_closed(data: bytes) -> None:
    with pytest.raises(StreamClosed):
        read_frame(io.BytesIO(data))


def test_reads_survive_short_reads() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            chunk, self.data = self.data[:1], self.data[1:]
            return chunk

    stream = Trickle(encode_frame({"id": "slow"}) * 2)
    assert [json.loads(read_frame(stream)) for _ in range(2)] == [{"id": "slow"}] * 2


@pytest.mark.parametrize("data", [b"\x01", encode_frame({}) + b"\x00", HEADER.pack(3) + b"{}", HEADER.pack(2) + b"no"])
def test_strict_decoding_refuses_anything_but_whole_frames(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode_frames(data)


def test_claimed_stdout_keeps_prints_and_children_off_the_frame_channel(tmp_path) -> None:
    script = (
        "import os, subprocess, sys\n"
        "from native_host.messaging.framing import FrameWriter, claim_stdout\n"
        "frames = claim_stdout()\n"
        "print('a stray print')\n"
        "os.write(1, b'a raw write to fd 1\\n')\n"
        "subprocess.run(['sh', '-c', 'echo a child writes to stdout'], check=True)\n"
        "FrameWriter(frames).send({'only': 'frame'})\n"
        "print('after the frame')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        timeout=20,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr
    assert decode_frames(completed.stdout) == [{"only": "frame"}]
    for text in (b"a stray print", b"a raw write to fd 1", b"a child writes to stdout", b"after the frame"):
        assert text in completed.stderr
