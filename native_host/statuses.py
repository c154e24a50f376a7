"""Every status a run or a setting can end in, defined once.

The CLI, the native host, the history store and the extension all speak these words.
The extension mirrors them in extension/shared/vocabulary.js; a test keeps the two equal.
"""

from enum import StrEnum


class SettingStatus(StrEnum):
    """How one setting ended."""

    ALREADY_OK = "already_ok"  # already in the chosen state; nothing written
    CHANGED = "changed"  # written, and the reload showed the new state
    WOULD_CHANGE = "would_change"  # check only: differs from the chosen state
    NOT_FOUND = "not_found"  # no control carries any known wording
    AMBIGUOUS = "ambiguous"  # more than one control matches equally well; nothing touched
    LOCKED = "locked"  # the control is disabled (for example a minor's account)
    SAVE_FAILED = "save_failed"  # Pinterest refused the change
    VERIFY_FAILED = "verify_failed"  # a save was sent or pressed, but the reload shows the old state
    NOT_SAVED = "not_saved"  # changed on the page, but no save request went out and there was no way to save
    PAUSED = "paused"  # the rules pause this setting (a rule that misbehaved); the message gives their reason
    SKIPPED = "skipped"  # the run stopped before reaching this setting


class SettingReason(StrEnum):
    """Why a setting ended as it did, where its status alone does not say; "" for every other result."""

    UNKNOWN_LANGUAGE = "unknown_language"  # not_found: Optout knows no wording in the page's language


class RunStatus(StrEnum):
    """How a whole run ended."""

    DONE = "done"  # every setting ended in a good state
    PARTIAL = "partial"  # the run finished but some settings did not
    LOGIN_REQUIRED = "login_required"  # Pinterest showed its login page
    BLOCKED = "blocked"  # Pinterest's bot or rate-limit page
    TIMEOUT = "timeout"  # a page did not load in time
    BROWSER_MISSING = "browser_missing"  # no usable Chromium-family browser
    CANCELLED = "cancelled"  # the user stopped the run
    INTERRUPTED = "interrupted"  # the process died mid-run (seen only in the history)
    RULES_REFUSED = "rules_refused"  # the rules failed validation, signature or origin checks
    FAILED = "failed"  # an unexpected error; the message says what


GOOD_SETTING_STATUSES = frozenset({SettingStatus.ALREADY_OK, SettingStatus.CHANGED, SettingStatus.WOULD_CHANGE})
