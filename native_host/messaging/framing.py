"""Chrome's native messaging framing: a 4-byte length in native byte order, then that many bytes of UTF-8 JSON.

The host owns stdout for frames only. `claim_stdout()` keeps a private duplicate of fd 1 for frames and points
fd 1 at stderr, so whatever the host or a child (Playwright's driver, the browser) prints can never reach the
browser unframed.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
from typing import Any, BinaryIO

HEADER = struct.Struct("=I")  # native byte order, 4 bytes
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # what the host accepts from the browser
MAX_REPLY_BYTES = 1024 * 1024  # what the browser accepts from a host
_DRAIN_CHUNK = 64 * 1024


class StreamClosed(Exception):
    """The stream ended, cleanly or inside a frame: the browser went away."""


class FrameTooLarge(Exception):
    """A request over MAX_REQUEST_BYTES; its body was read and dropped, so the stream is still in step."""

    def __init__(self, length: int) -> None:
        super().__init__(f"The request is {length} bytes; the host accepts at most {MAX_REQUEST_BYTES}.")
        self.length = length


class ReplyTooLarge(Exception):
    """A reply that would exceed the browser's 1 MB limit; it was not written."""

    def __init__(self, length: int) -> None:
        super().__init__(f"The reply would be {length} bytes; the browser accepts at most {MAX_REPLY_BYTES}.")
        self.length = length


def _read_exactly(stream: BinaryIO, count: int) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise StreamClosed("The stream ended inside a frame.")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _drain(stream: BinaryIO, count: int) -> None:
    remaining = count
    while remaining:
        chunk = stream.read(min(remaining, _DRAIN_CHUNK))
        if not chunk:
            raise StreamClosed("The stream ended inside an oversized frame.")
        remaining -= len(chunk)


def read_frame(stream: BinaryIO, limit: int = MAX_REQUEST_BYTES) -> bytes:
    """The next frame's body. Raises StreamClosed at the end of the stream, FrameTooLarge for an oversized frame."""
    header = stream.read(HEADER.size)
    if not header:
        raise StreamClosed("End of stream.")
    if len(header) < HEADER.size:
        header += _read_exactly(stream, HEADER.size - len(header))
    (length,) = HEADER.unpack(header)
    if length > limit:
        _drain(stream, length)
        raise FrameTooLarge(length)
    return _read_exactly(stream, length)


def encode_message(message: Any) -> bytes:
    """A message as UTF-8 JSON, without the length header."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def encode_frame(message: Any, limit: int = MAX_REPLY_BYTES) -> bytes:
    """A whole frame (header and body); ReplyTooLarge when the body is over `limit`."""
    body = encode_message(message)
    if len(body) > limit:
        raise ReplyTooLarge(len(body))
    return HEADER.pack(len(body)) + body


def decode_frames(data: bytes) -> list[Any]:
    """Every frame in `data`, strictly: ValueError if anything is left over or a body is not JSON."""
    messages: list[Any] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < HEADER.size:
            raise ValueError(f"{len(data) - offset} stray bytes after the last frame")
        (length,) = HEADER.unpack_from(data, offset)
        offset += HEADER.size
        if length > len(data) - offset:
            raise ValueError(f"a frame says {length} bytes but only {len(data) - offset} follow")
        messages.append(json.loads(data[offset : offset + length].decode("utf-8")))
        offset += length
    return messages


class FrameWriter:
    """Writes whole frames to one stream; safe to share between the reading thread and run threads."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_REPLY_BYTES) -> None:
        self._stream = stream
        self._limit = limit
        self._lock = threading.Lock()

    def send(self, message: Any) -> None:
        """Write one frame. Raises ReplyTooLarge (nothing written) or StreamClosed (the browser went away)."""
        frame = encode_frame(message, self._limit)
        with self._lock:
            try:
                self._stream.write(frame)
                self._stream.flush()
            except (BrokenPipeError, ConnectionResetError, ValueError) as error:
                raise StreamClosed(str(error)) from error


def claim_stdout() -> BinaryIO:
    """A private stream on the original stdout, for frames only; fd 1 then points at stderr.

    The duplicate is not inheritable, so children never get it; they inherit fd 1, which is now stderr.
    """
    sys.stdout.flush()
    private_fd = os.dup(1)
    os.dup2(2, 1)
    if sys.platform == "win32":
        import msvcrt

        msvcrt.setmode(private_fd, os.O_BINARY)
        msvcrt.setmode(0, os.O_BINARY)
    return os.fdopen(private_fd, "wb")
