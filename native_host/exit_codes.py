"""The CLI's exit codes, defined once (README and docs/report.md list them)."""

from enum import IntEnum

from native_host.statuses import RunStatus


class ExitCode(IntEnum):
    ALL_DONE = 0
    PARTLY_DONE = 1
    USAGE = 2  # argparse also exits with 2 on bad arguments
    LOGIN_REQUIRED = 3
    BLOCKED = 4
    FAILED = 5  # timeout, browser missing, rules refused, cancelled, unexpected error


def exit_code_for(status: RunStatus) -> ExitCode:
    return {
        RunStatus.DONE: ExitCode.ALL_DONE,
        RunStatus.PARTIAL: ExitCode.PARTLY_DONE,
        RunStatus.LOGIN_REQUIRED: ExitCode.LOGIN_REQUIRED,
        RunStatus.BLOCKED: ExitCode.BLOCKED,
    }.get(status, ExitCode.FAILED)
