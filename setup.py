"""The build step pyproject.toml cannot express: files from outside the packages that an installed copy needs.

The shipped rules (rules/*.json with their schema) and the extension's fixed id (extension/extension-id.txt) live
at the top of the repository, where the rules service and the extension read them too. An installed helper has no
repository around it, so the build copies them into the package: native_host/rules/shipped/ and
native_host/extension-id.txt (native_host/rules/paths.py and native_host/extension_ids.py look there first).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the repository's own files
            return
        package = Path(self.build_lib, "native_host")
        rules = package / "rules" / "shipped"
        rules.mkdir(parents=True, exist_ok=True)
        for source in sorted((ROOT / "rules").glob("*.json")):
            shutil.copyfile(source, rules / source.name)
        shutil.copyfile(ROOT / "extension" / "extension-id.txt", package / "extension-id.txt")


setup(cmdclass={"build_py": BuildWithShippedFiles})
