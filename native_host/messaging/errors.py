"""The native protocol's numbered error codes, defined once (docs/protocol.md lists them).

The extension mirrors them in extension/shared/vocabulary.js; a test keeps the two equal.
"""

from enum import IntEnum


class ErrorCode(IntEnum):
    BAD_FRAME = 1  # truncated frame, or a body that is not UTF-8 JSON
    BAD_REQUEST = 2  # a field is missing or has the wrong type
    UNKNOWN_TYPE = 3  # the request's type is not one this host knows
    TOO_LARGE = 4  # the request is larger than the host accepts
    BUSY = 5  # a run for this platform is already going on
    RULES_REFUSED = 6  # a bundle failed its signature, schema, engine-version or origin check
    FORBIDDEN_CALLER = 7  # the host was started by an extension it does not serve
    NOT_RUNNING = 8  # cancel: no run with that id is going on
    UNSUPPORTED_PROTOCOL = 9  # the extension speaks a protocol version the host does not
    UNKNOWN_SETTING = 10  # a setting id that the rules do not define
    UNKNOWN_PLATFORM = 11  # a platform the host has no rules for
    INTERNAL = 99  # a bug: the message says what; the host keeps running

    @property
    def slug(self) -> str:
        return self.name.lower()
