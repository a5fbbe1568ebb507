"""Reading the text files a command is given: one way to read them and to say which could not be read."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path


def read_text(path: Path) -> str:
    """The file's text; raises OSError or UnicodeDecodeError."""
    return path.read_bytes().decode("utf-8")


def read_texts(names: Iterable[str]) -> tuple[list[tuple[str, Path, str]], int]:
    """(name as given, path, text) of each readable UTF-8 file, and how many could not be read (each said on
    stderr by name; the others are still returned)."""
    texts: list[tuple[str, Path, str]] = []
    failures = 0
    for name in names:
        path = Path(name)
        try:
            texts.append((name, path, read_text(path)))
        except UnicodeDecodeError as exc:
            print(f"error: {name}: not UTF-8 text ({exc.reason} at byte {exc.start}); skipped", file=sys.stderr)
            failures += 1
        except OSError as exc:
            print(f"error: {name}: cannot read ({exc.strerror or exc}); skipped", file=sys.stderr)
            failures += 1
    return texts, failures
