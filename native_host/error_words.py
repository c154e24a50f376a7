"""Words for the operating system's and the network's error texts, so a person never reads "[Errno 111]".

Messages built deeper down (the rules client, file reads) may carry Python's rendering of an OSError, such as
"[Errno 111] Connection refused" or "[Errno -2] Name or service not known". The command line passes what it
prints through `in_plain_words`, which puts a sentence in place of each such fragment.
"""

from __future__ import annotations

import errno
import re

PLAIN = {
    errno.ECONNREFUSED: "nothing is answering at that address (is the service running?)",
    errno.ECONNRESET: "the connection was cut off",
    errno.ETIMEDOUT: "it took too long to answer",
    errno.EHOSTUNREACH: "that computer cannot be reached from here",
    errno.ENETUNREACH: "the network cannot be reached (are you online?)",
    errno.ENOENT: "it does not exist",
    errno.EACCES: "Optout is not allowed to open it",
    errno.EPERM: "Optout is not allowed to do that",
    errno.ENOSPC: "the disk is full",
    errno.EISDIR: "it is a folder, not a file",
    errno.EADDRINUSE: "that port is already in use by another program",
}
# Name lookups (socket.gaierror) use negative numbers that differ between systems; their texts are stable.
NAME_NOT_FOUND = "that name cannot be found (check the address and your internet connection)"
LOOKUP_TEXTS = ("name or service not known", "temporary failure in name resolution", "nodename nor servname")
CERTIFICATE = "its security certificate cannot be trusted"

ERRNO_FRAGMENT = re.compile(r"\[Errno (-?\d+)\] ([^\n]*?)(?=(?P<next> [A-Z])|[.:;,\n'\"]|$)")
SSL_FRAGMENT = re.compile(r"\[SSL: [A-Z_]+\] [^\n(]*(\([^)]*\))?")


def in_plain_words(message: str) -> str:
    """`message` with every "[Errno N] text" and "[SSL: ...]" fragment replaced by a sentence."""
    message = ERRNO_FRAGMENT.sub(_errno_words, message)
    return SSL_FRAGMENT.sub(CERTIFICATE, message)


def describe_os_error(error: OSError) -> str:
    """An OSError as a phrase, without its number."""
    return _phrase(error.errno, error.strerror or str(error))


def _errno_words(match: re.Match[str]) -> str:
    phrase = _phrase(int(match.group(1)), match.group(2))
    # A fragment that ran straight into the next sentence ("refused Using the rules") gets its full stop.
    return phrase + "." if match.group("next") else phrase


def _phrase(number: int | None, text: str) -> str:
    if number in PLAIN:
        return PLAIN[number]
    if any(words in text.lower() for words in LOOKUP_TEXTS):
        return NAME_NOT_FOUND
    return text[:1].lower() + text[1:] if text else "the system refused it"
