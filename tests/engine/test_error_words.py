"""Operating-system error texts become words."""

from __future__ import annotations

import errno

from native_host.error_words import describe_os_error, in_plain_words


def test_a_refused_connection_inside_a_message_becomes_a_sentence():
    message = (
        "Cannot reach the rules service at http://127.0.0.1:9/api/v1/rules/pinterest: [Errno 111] Connection refused "
        "Using the rules shipped with Optout 1.0.0 (version 2026.11.22)."
    )
    assert in_plain_words(message) == (
        "Cannot reach the rules service at http://127.0.0.1:9/api/v1/rules/pinterest: nothing is answering at that "
        "address (is the service running?). Using the rules shipped with Optout 1.0.0 (version 2026.11.22)."
    )


def test_name_lookups_and_certificates_are_said_in_words():
    assert in_plain_words("at x: [Errno -2] Name or service not known") == (
        "at x: that name cannot be found (check the address and your internet connection)"
    )
    text = in_plain_words("at x: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed (_ssl.c:1006)")
    assert text == "at x: its security certificate cannot be trusted"


def test_an_unknown_errno_keeps_its_text_without_the_number():
    assert in_plain_words("[Errno 36] File name too long") == "file name too long"
    assert describe_os_error(OSError(errno.EACCES, "Permission denied")) == "Optout is not allowed to open it"
