"""The engine's version. A rules file names the lowest engine version that can run it."""

ENGINE_VERSION = "1.0.0"


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))
