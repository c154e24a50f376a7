"""What a run tells its caller: a result per setting, the run's own status, and progress events.

`RunReport.to_json()` is the stable JSON report of `optout check/apply --json`, of the native
host's replies and of the history store; docs/report.md documents it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from native_host.statuses import GOOD_SETTING_STATUSES, RunStatus, SettingReason, SettingStatus

REPORT_FORMAT = 1


@dataclass
class SettingResult:
    """The outcome for one setting."""

    id: str
    title: str
    status: SettingStatus
    desired: bool
    before: bool | None = None  # the state read before any change (None: not read)
    after: bool | None = None  # the state read after the reload (None: not read)
    verified: bool = False  # True once a fresh page load showed `after`
    wording: str | None = None  # the label wording that matched
    page: str | None = None  # the page (final URL) the control was on
    message: str = ""  # a sentence a person can act on
    seconds: float = 0.0
    wording_source: str | None = None  # "rules" or "taught" (the person's own wording): where `wording` comes from
    # the language of `page`: its own `lang` tag, else the one its text showed (page_language.py); "" unknown
    language: str | None = None
    # not_found only: the on/off controls on the setting's own pages that no rule names ({"label", "kind",
    # "state"}), for the person to say which one it is
    candidates: list[dict[str, Any]] = field(default_factory=list)
    reason: SettingReason = SettingReason.NONE  # why, where the status alone does not say (statuses.py)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["reason"] = str(self.reason)
        return data


@dataclass
class RunReport:
    """The outcome of one `check` or `apply`."""

    mode: str  # "check" or "apply"
    platform: str
    status: RunStatus
    results: list[SettingResult] = field(default_factory=list)
    message: str = ""
    rules_version: str = ""
    engine_version: str = ""
    browser: str = ""  # which browser ran, in words ("Chromium 156 at /usr/lib/chromium/chromium")
    started_at: str = ""  # ISO 8601, UTC
    seconds: float = 0.0
    page_loads: int = 0  # navigations and reloads, redirects not counted twice
    browser_launches: int = 0
    clicks: int = 0
    practice: bool = False  # True when a site map served the platform from local servers: not the real site
    sandbox: bool = True  # False only when Chromium had to run with --no-sandbox (as root)
    origin: str = ""  # where the run started: the origin the person is logged in on (https://www.pinterest.de)
    redirected_to: str = ""  # the Pinterest origin the platform moved the run to ("" when it stayed on `origin`)
    language: str = ""  # the settings pages' language tag (BCP 47), "" when unknown

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "mode": self.mode,
            "platform": self.platform,
            "origin": self.origin,
            "redirected_to": self.redirected_to,
            "status": str(self.status),
            "message": self.message,
            "rules_version": self.rules_version,
            "engine_version": self.engine_version,
            "browser": self.browser,
            "started_at": self.started_at,
            "seconds": round(self.seconds, 3),
            "page_loads": self.page_loads,
            "browser_launches": self.browser_launches,
            "clicks": self.clicks,
            "practice": self.practice,
            "sandbox": self.sandbox,
            "language": self.language,
            "results": [result.to_json() for result in self.results],
        }

    def finish_status(self) -> RunStatus:
        """DONE when every setting ended well, PARTIAL otherwise."""
        if all(result.status in GOOD_SETTING_STATUSES for result in self.results):
            return RunStatus.DONE
        return RunStatus.PARTIAL

    def counts(self) -> dict[str, int]:
        tally: dict[str, int] = {}
        for result in self.results:
            tally[str(result.status)] = tally.get(str(result.status), 0) + 1
        return tally


@dataclass
class ProgressEvent:
    """One step of a run, for live progress (the popup, the CLI's spinner lines).

    `step` is one of: launching, loading, reading, changing, saving, verifying, setting_done, finished.
    """

    step: str
    message: str
    setting_id: str | None = None
    status: SettingStatus | None = None
    page: str | None = None
    done: int = 0  # settings finished so far
    total: int = 0  # settings in this run

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.status is not None:
            data["status"] = str(self.status)
        return data
