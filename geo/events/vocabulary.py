"""The values each event filter can take: one vocabulary for the sidebar, the URL and the command line.

Built from the data (geo.dataset.Dataset.vocabulary); each surface checks its input against it, so a
value one of them accepts is accepted by all (a target a report names is a target everywhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The filter keys, as they appear in URLs (?actor=...) and as command-line options (--actor).
FILTER_KEYS = ("actor", "type", "report", "target")


@dataclass(frozen=True)
class FilterVocabulary:
    actor: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    report: tuple[str, ...] = ()
    target: tuple[str, ...] = ()

    def values(self, key: str) -> tuple[str, ...]:
        if key not in FILTER_KEYS:
            raise KeyError(key)
        values: tuple[str, ...] = getattr(self, key)
        return values

    def as_mapping(self) -> Mapping[str, tuple[str, ...]]:
        return {key: self.values(key) for key in FILTER_KEYS}

    def canonical(self, key: str, value: str) -> str | None:
        """The known value that `value` names (case-insensitively), or None."""
        folded = value.casefold()
        return next((v for v in self.values(key) if v.casefold() == folded), None)
