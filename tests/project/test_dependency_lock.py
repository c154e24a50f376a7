"""The locks (requirements.lock, requirements-dev.lock) still match what pyproject.toml and requirements.txt declare.

pip-compile writes the locks; nothing here reaches the network. A declared requirement added, dropped or moved out
of the locked version makes these tests fail until the locks are regenerated as their headers say.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
DEV_DECLARED = ROOT / "requirements.txt"
# pip-compile names where a top-level requirement came from in its "# via" lines.
PRODUCT_SOURCES = ("optout (pyproject.toml)", "optout (pyproject.toml::build-system.requires)")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str | None  # None when the entry is not an exact `==` pin
    marker: str | None
    hashes: tuple[str, ...]
    via: tuple[str, ...]


def read_lock(path: Path) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    # An entry is its requirement line, its backslash-continued --hash lines, then its "# via" comment lines.
    for block in re.split(r"\n(?=[A-Za-z0-9])", path.read_text()):
        lines = block.splitlines()
        if not lines or lines[0].startswith("#"):
            continue
        logical = " ".join(line.rstrip("\\").strip() for line in lines if not line.lstrip().startswith("#"))
        requirement_text, *options = re.split(r"\s+(?=--)", logical)
        requirement = Requirement(requirement_text)
        specifiers = list(requirement.specifier)
        exact = len(specifiers) == 1 and specifiers[0].operator == "=="
        via = [line.strip().lstrip("#").strip() for line in lines if line.lstrip().startswith("#")]
        pins[canonicalize_name(requirement.name)] = Pin(
            name=canonicalize_name(requirement.name),
            version=specifiers[0].version if exact else None,
            marker=str(requirement.marker) if requirement.marker else None,
            hashes=tuple(option.split("=", 1)[1].strip() for option in options if option.startswith("--hash=")),
            via=tuple(entry.removeprefix("via").strip() for entry in via if entry.removeprefix("via").strip()),
        )
    return pins


def product_requirements() -> list[Requirement]:
    """pyproject.toml: the dependencies, the `server` extra and the build requirements (setuptools)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["server"],
        *project["build-system"]["requires"],
    ]
    return [Requirement(text) for text in declared]


def dev_requirements() -> list[Requirement]:
    """requirements.txt, past its `-r requirements.lock` (the product, checked on its own)."""
    requirements = []
    for line in DEV_DECLARED.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text and not text.startswith("-"):
            requirements.append(Requirement(text))
    return requirements


LOCKS = {
    "requirements.lock": (PRODUCT_LOCK, product_requirements),
    "requirements-dev.lock": (DEV_LOCK, lambda: product_requirements() + dev_requirements()),
}


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_declared_requirement_is_pinned_within_what_it_declares(lock_name: str) -> None:
    path, declared = LOCKS[lock_name]
    pins = read_lock(path)
    problems = []
    for requirement in declared():
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement} is declared but not in {lock_name}")
        elif pin.version is None or not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement} is declared but {lock_name} pins {pin.name} {pin.version}")
        elif pin.marker != (str(requirement.marker) if requirement.marker else None):
            problems.append(f"{requirement} is declared but {lock_name} pins it for {pin.marker or 'every platform'}")
    assert problems == [], "regenerate the locks (see their header): " + "; ".join(problems)


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_locked_entry_is_an_exact_version_with_hashes(lock_name: str) -> None:
    pins = read_lock(LOCKS[lock_name][0])
    assert pins, f"{lock_name} pins nothing"
    unpinned = [pin.name for pin in pins.values() if pin.version is None]
    unhashed = [pin.name for pin in pins.values() if not pin.hashes]
    assert unpinned == [] and unhashed == []
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", value) for pin in pins.values() for value in pin.hashes)


def test_the_locks_hold_no_top_level_requirement_that_is_no_longer_declared() -> None:
    product = {canonicalize_name(requirement.name) for requirement in product_requirements()}
    dev = {canonicalize_name(requirement.name) for requirement in dev_requirements()}
    product_top = {
        pin.name for pin in read_lock(PRODUCT_LOCK).values() if any(source in pin.via for source in PRODUCT_SOURCES)
    }
    dev_top = {pin.name for pin in read_lock(DEV_LOCK).values() if "-r requirements.txt" in pin.via}
    assert product_top == product
    assert dev_top == dev


def test_the_dev_lock_installs_the_product_exactly_as_the_product_lock_pins_it() -> None:
    product, dev = read_lock(PRODUCT_LOCK), read_lock(DEV_LOCK)
    locked = {name: (pin.version, pin.hashes) for name, pin in product.items()}
    differing = [
        name for name, pin in locked.items() if name not in dev or (dev[name].version, dev[name].hashes) != pin
    ]
    assert differing == []
    assert {name for name, pin in dev.items() if "-r requirements.lock" in pin.via} == set(product)


def test_this_environment_runs_the_locked_versions() -> None:
    """`./run` installs requirements-dev.lock; a package at another version means it did not, or the lock moved."""
    wrong = {}
    for pin in read_lock(DEV_LOCK).values():
        if pin.marker and not Requirement(f"{pin.name}; {pin.marker}").marker.evaluate():
            continue
        installed = metadata.version(pin.name)
        if installed != pin.version:
            wrong[pin.name] = (installed, pin.version)
    assert wrong == {}
