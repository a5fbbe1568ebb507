"""One Dataset for every page, export and command, built by one loader from one data stamp.

`load_dataset()` reads the reports, the event table (with its claims and facts) and works out the
derived pieces once (place mentions, the actor palette, the event-type shapes, the filter vocabulary).
`data_stamp()` fingerprints every input file (path, size, modification time in ns), so a cache keyed by
the stamp can never serve a table older than the files: a deleted row, a report edited in place or a
new report all change the stamp. The loader itself does not cache; the dashboard caches one Dataset per
stamp (ui/shared.py), a command loads once per process, and exports take the Dataset they are given.

Where the data lives: `DataSource`. By default the store (geo.store: STRIKE_MAP_DATABASE_URL, else the SQLite
file under var/), one incident (default: the first in data/incidents.csv, whose curated files are imported on
first use) and the events of one status (default: accepted); the stamp then also holds the incident's newest
change-log id, so an analyst's edit is a new stamp. A folder of the same layout as data/ (STRIKE_MAP_DATA_DIR,
or DataSource(folder)) is read from its files directly.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from threading import Event, Lock
from typing import TYPE_CHECKING, Any

from geo.corpus.articles import Corpus, load_corpus
from geo.errors import Problem
from geo.events.table import EVENT_TYPES, EventTable, actors, build_table, targets
from geo.events.vocabulary import FilterVocabulary
from geo.maps.style import actor_colours, event_type_shapes
from geo.paths import DATA_DIR

if TYPE_CHECKING:
    import pandas as pd

    from geo.boundaries.region import Region
    from geo.maps.places import MentionedPlace
    from geo.places.toponyms import PlaceMention
    from geo.store.ready import IncidentInfo

#: Environment variable naming another data folder (same layout as data/).
DATA_DIR_ENV = "STRIKE_MAP_DATA_DIR"
#: How many rendered exports one Dataset keeps (per filter, format and title).
EXPORT_CACHE_SIZE = 64

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class DataSource:
    """Where one Dataset is read from: a store's incident (store_url set) or a curated folder's files."""

    data_dir: Path
    #: the store to read; None reads data_dir's files directly
    store_url: str | None = None
    #: the incident's slug in the store; None: the first in data/incidents.csv
    incident: str | None = None
    #: which events: accepted | candidate | rejected | all
    status: str = "accepted"

    @classmethod
    def default(cls, incident: str | None = None, status: str = "accepted") -> DataSource:
        folder = os.environ.get(DATA_DIR_ENV)
        if folder:
            return cls(Path(folder))
        from geo.store.engine import database_url

        return cls(DATA_DIR, database_url(), incident, status)

    @property
    def articles_dir(self) -> Path:
        return self.data_dir / "articles"

    @property
    def articles_csv(self) -> Path:
        return self.data_dir / "articles.csv"

    @property
    def events_csv(self) -> Path:
        return self.data_dir / "events.csv"

    @property
    def claims_csv(self) -> Path:
        return self.data_dir / "claims.csv"

    @property
    def facts_csv(self) -> Path:
        return self.data_dir / "facts.csv"

    def inputs(self) -> list[Path]:
        """Every file the Dataset is made from (the reports one by one)."""
        reports = sorted(self.articles_dir.glob("*.txt")) if self.articles_dir.is_dir() else []
        curated = [self.articles_csv, self.events_csv, self.claims_csv, self.facts_csv, *reports]
        return [self.data_dir / "incidents.csv", *curated] if self.store_url else curated


def _fingerprint(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_size, st.st_mtime_ns)


def data_stamp(source: DataSource | None = None) -> Stamp:
    """A fingerprint of every input: equal stamps mean the same files, byte for byte as far as the
    file system can tell (size and nanosecond modification time of each)."""
    source = source or DataSource.default()
    files = tuple(_fingerprint(p) for p in source.inputs())
    if source.store_url is None:
        return files
    from geo.store.ready import change_marker, shared_store

    store = shared_store(source.store_url, source.data_dir / "incidents.csv")  # imports changed curated files
    where = f"{source.store_url}#{source.incident or ''}?status={source.status}"
    return (*files, (where, change_marker(store, source.incident), 0))


@dataclass(frozen=True, eq=False)
class Dataset:
    """The reports and the event table of one stamp, and what is derived from them (computed once)."""

    stamp: Stamp
    corpus: Corpus
    table: EventTable
    #: the store's incident (slug, title, countries, window); None for a folder read as files
    incident: IncidentInfo | None = None
    #: report id -> the store's place mentions with analyst corrections applied; None: geoparse the texts
    stored_mentions: dict[str, list[PlaceMention]] | None = field(default=None, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)

    @property
    def problems(self) -> list[Problem]:
        return [*self.corpus.problems, *self.table.problems]

    @property
    def title(self) -> str:
        """The incident's title ('' for a folder read as files)."""
        return self.incident.title if self.incident else ""

    @cached_property
    def region(self) -> Region:
        """The incident's countries of interest as the map draws them (a folder: the seed incident's)."""
        from geo.boundaries.region import Region

        return Region.of(self.incident.countries) if self.incident else Region.seed()

    @cached_property
    def mentions(self) -> dict[str, list[PlaceMention]]:
        """report id -> its place mentions: the store's, as analysts corrected them, for a store's incident;
        else those found in its text (geo.places.toponyms.find_places)."""
        if self.stored_mentions is not None:
            return self.stored_mentions
        from geo.places.toponyms import mentions_by_report  # loads the gazetteer: only when asked

        return mentions_by_report(self.corpus.articles)

    def mention_rows(self, reports: Collection[str] = ()) -> pd.DataFrame:
        """Every place the (given, or all) reports name, one row per place with its mention count."""
        from geo.maps.places import mention_table

        return self.memo(("mention_rows", frozenset(reports)), lambda: mention_table(self.mentions, reports))

    def places(self, reports: Collection[str] = ()) -> list[MentionedPlace]:
        """mention_rows as typed values (geo.maps.places.MentionedPlace), for the map's places layer."""
        from geo.maps.places import mentioned_places

        return self.memo(("places", frozenset(reports)), lambda: mentioned_places(self.mentions, reports))

    @cached_property
    def colours(self) -> dict[str, str]:
        """actor -> colour, assigned over the whole table so that a filtered view keeps its colours."""
        return actor_colours(e.actor for e in self.table.events)

    @cached_property
    def event_types(self) -> list[str]:
        """The known event types first (in their order), then any other type the table uses."""
        return list(EVENT_TYPES) + sorted({e.event_type for e in self.table.events} - set(EVENT_TYPES))

    @cached_property
    def shapes(self) -> dict[str, str]:
        return event_type_shapes(self.event_types)

    @cached_property
    def vocabulary(self) -> FilterVocabulary:
        """The values each filter can take (the sidebar, the URL and the command line all check against it)."""
        events = self.table.events
        return FilterVocabulary(
            actor=tuple(actors(events)),
            type=tuple(self.event_types),
            report=tuple(sorted({a.id for a in self.corpus.articles} | {c.report_id for c in self.table.claims})),
            target=tuple(targets(events)),
        )

    @cached_property
    def _memo(self) -> OrderedDict[Hashable, Any]:
        return OrderedDict()

    @cached_property
    def _making(self) -> dict[Hashable, _Making]:
        return {}

    def memo(self, key: Hashable, make: Callable[[], Any], size: int = EXPORT_CACHE_SIZE) -> Any:
        """A value derived from this Dataset, made once per key (least recently used beyond `size`).

        Tied to the Dataset, so it can never outlive the data it was made from. Made once even when
        many sessions ask at the same moment: the first makes it, the others wait for that value
        (25 analysts opening the same briefing render one PNG, not 25 at once)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            existing = self._making.get(key)
            making = existing if existing is not None else self._making.setdefault(key, _Making())
        if existing is not None:
            return making.result()
        try:
            making.value = make()
        except BaseException as exc:
            making.error = exc
            raise
        finally:
            with self._lock:
                del self._making[key]
                if making.error is None:
                    self._memo[key] = making.value
                    while len(self._memo) > size:
                        self._memo.popitem(last=False)
            making.done.set()
        return making.value


class _Making:
    """A value one thread is making for Dataset.memo, which the others wait for."""

    def __init__(self) -> None:
        self.done = Event()
        self.value: Any = None
        self.error: BaseException | None = None

    def result(self) -> Any:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


def load_dataset(source: DataSource | None = None) -> Dataset:
    """Read everything once. The stamp is taken first, so a file that changes while it is read makes
    the next stamp differ and the next load read it again."""
    source = source or DataSource.default()
    stamp = data_stamp(source)
    if source.store_url is not None:
        from geo.store.ready import load_incident, shared_store

        store = shared_store(source.store_url, source.data_dir / "incidents.csv")
        info, corpus, table, mentions = load_incident(store, source.incident, source.status)
        return Dataset(stamp=stamp, corpus=corpus, table=table, incident=info, stored_mentions=mentions)
    corpus = load_corpus(source.articles_dir, source.articles_csv)
    table = build_table(source.events_csv, source.claims_csv, source.facts_csv, corpus)
    return Dataset(stamp=stamp, corpus=corpus, table=table)
