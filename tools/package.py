"""Builds what a release ships into dist/: the Chrome zip, the Firefox xpi, and the helper as a wheel and sdist.

    .venv/bin/python -m tools.package        # what `./run package` runs

- `optout-chrome-VERSION.zip` and `optout-firefox-VERSION.xpi`: the extension's own files only (no node_modules,
  package.json, lock or the id file the helper reads), entries sorted and dated alike so two builds match.
  Both drop the manifest's `key`: the Chrome Web Store refuses an upload that carries one and gives the item its
  own id (see docs/extension.md, "Releasing"); Firefox knows the add-on by its gecko id instead.
- `optout-VERSION-py3-none-any.whl` and `optout-VERSION.tar.gz`: the helper (`optout` command, native host,
  engine, replica for practice runs), built by setuptools' own backend with the installed setuptools, so no
  build tool is fetched. setup.py copies the shipped rules and the extension id into the package; the build is
  refused when the wheel lacks a file an installed helper needs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "extension"
DIST = ROOT / "dist"

# Files in extension/ that serve development, not the browser.
DEVELOPMENT_ONLY = frozenset({"package.json", "package-lock.json", "extension-id.txt"})
DEVELOPMENT_FOLDERS = frozenset({"node_modules"})
# Every zip entry gets this date, so the archives depend on the files only (zip dates start in 1980).
ENTRY_DATE = (1980, 1, 1, 0, 0, 0)

# What an installed helper reads from its own package, outside any Python module.
WHEEL_MUST_HOLD = (
    "native_host/engine/scan_controls.js",
    "native_host/rules/pinned_keys.json",
    "native_host/rules/shipped/schema.json",
    "native_host/rules/shipped/pinterest.json",
    "native_host/extension-id.txt",
)


class PackageError(Exception):
    """The release cannot be built as it stands; the message says why."""


def extension_files(source: Path = EXTENSION) -> list[Path]:
    """The extension's files, relative to `source`, sorted: everything but development files and dotfiles."""
    files = []
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if not path.is_file() or (len(relative.parts) == 1 and relative.name in DEVELOPMENT_ONLY):
            continue
        if relative.parts[0] in DEVELOPMENT_FOLDERS or any(part.startswith(".") for part in relative.parts):
            continue
        files.append(relative)
    return sorted(files, key=lambda relative: relative.as_posix())


def release_manifest(source: Path = EXTENSION) -> dict[str, Any]:
    """manifest.json as the stores take it: without `key`, which only fixes the id of unpacked development loads."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("key", None)
    return manifest


def write_extension_archive(target: Path, source: Path = EXTENSION) -> Path:
    manifest = json.dumps(release_manifest(source), indent=2, ensure_ascii=False) + "\n"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in extension_files(source):
            entry = zipfile.ZipInfo(relative.as_posix(), ENTRY_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = (
                manifest.encode("utf-8") if relative.as_posix() == "manifest.json" else (source / relative).read_bytes()
            )
            archive.writestr(entry, data)
    return target


def project_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


# Runs setuptools' PEP 517 hooks in a child process: they log every file to stdout, kept unless the build fails.
BUILD_HOOK = """
import sys
from setuptools import build_meta
print(getattr(build_meta, sys.argv[1])(sys.argv[2]))
"""


def build_helper(dist: Path) -> tuple[Path, Path]:
    """The wheel and the sdist, built in this repository by setuptools' PEP 517 backend."""
    # Stale files from an earlier build or an editable install's file list would slip into the archives.
    for leftover in (ROOT / "build", ROOT / "optout.egg-info"):
        shutil.rmtree(leftover, ignore_errors=True)
    built = []
    for hook in ("build_sdist", "build_wheel"):
        completed = subprocess.run(
            [sys.executable, "-c", BUILD_HOOK, hook, str(dist)], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise PackageError(f"Building the helper failed ({hook}):\n{completed.stdout}{completed.stderr}")
        built.append(dist / completed.stdout.strip().splitlines()[-1])
    sdist, wheel = built
    return wheel, sdist


def check_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in WHEEL_MUST_HOLD if name not in names]
    if missing:
        raise PackageError(f"The wheel lacks {', '.join(missing)}: an installed helper could not run without them.")


def package(dist: Path = DIST) -> list[Path]:
    """Every release file, written into `dist` (emptied first); returns their paths."""
    version = project_version()
    extension_version = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))["version"]
    if extension_version != version:
        raise PackageError(
            f"The extension says version {extension_version}, pyproject.toml {version}: release them together."
        )
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    chrome = write_extension_archive(dist / f"optout-chrome-{version}.zip")
    firefox = write_extension_archive(dist / f"optout-firefox-{version}.xpi")
    wheel, sdist = build_helper(dist)
    check_wheel(wheel)
    return [chrome, firefox, wheel, sdist]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./run package", description="Build the release files.")
    parser.add_argument("--dist", type=Path, default=DIST, help="where to write them (default: dist/, emptied first)")
    args = parser.parse_args(argv)
    try:
        built = package(args.dist.resolve())
    except PackageError as error:
        print(error, file=sys.stderr)
        return 1
    for path in built:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
