"""Where Optout keeps its files: one owner-only data directory.

The platform's user data directory (platformdirs), or `OPTOUT_DATA_DIR` when set (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "OPTOUT_DATA_DIR"


def data_dir(create: bool = True) -> Path:
    """The data directory, created owner-only (0700) when `create` is true."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        path = Path(configured).expanduser()
    else:
        import platformdirs  # imported only when needed: it is the slowest import on the host's start-up path

        path = Path(platformdirs.user_data_dir("optout", appauthor=False))
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(path, 0o700)
    return path


def history_db_path(base: Path | None = None) -> Path:
    return (base or data_dir()) / "history.sqlite3"


def locks_dir(base: Path | None = None) -> Path:
    path = (base or data_dir()) / "locks"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def host_install_dir(base: Path | None = None) -> Path:
    """Where `optout install` puts the launcher, the list of served extensions and (on Windows) the manifests."""
    return (base or data_dir()) / "native-host"


def callers_path(base: Path | None = None) -> Path:
    """The extensions the installed host serves (written by `optout install`)."""
    return host_install_dir(base) / "callers.json"
