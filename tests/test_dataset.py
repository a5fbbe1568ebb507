"""One Dataset per data stamp: every input file is in the stamp, and exports are cached on the Dataset."""

from __future__ import annotations

import os
import shutil

import pytest

from geo.dataset import DataSource, data_stamp, load_dataset
from geo.events.filter import EventFilter
from geo.export.cache import export_bytes
from geo.paths import DATA_DIR


@pytest.fixture
def source(tmp_path) -> DataSource:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("gazetteer", "boundaries"))
    return DataSource(copy)


def _touch(path, seconds: int = 1) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


@pytest.mark.parametrize("name", ["events.csv", "claims.csv", "facts.csv", "articles.csv",
                                  "articles/003_9d3a702379dd5a34.txt"])
def test_every_input_file_is_in_the_stamp(source, name):
    before = data_stamp(source)
    assert data_stamp(source) == before
    _touch(source.data_dir / name)
    assert data_stamp(source) != before


def test_a_new_report_changes_the_stamp_and_the_dataset(source):
    before = load_dataset(source)
    (source.articles_dir / "005_new.txt").write_text("Explosions were heard in Quetta.", encoding="utf-8")
    after = load_dataset(source)
    assert after.stamp != before.stamp
    assert "005_new" in after.corpus.by_id() and "005_new" not in before.corpus.by_id()
    assert "005_new" in after.vocabulary.report


def test_same_filter_is_served_from_the_cache_and_another_is_not(source):
    dataset = load_dataset(source)
    first = export_bytes(dataset, EventFilter(actors=frozenset({"Iran"})), "csv")
    again = export_bytes(dataset, EventFilter(actors=frozenset({"Iran"})), "csv")
    assert again is first
    other = export_bytes(dataset, EventFilter(), "csv")
    assert other != first and len(other) > len(first)
    assert export_bytes(load_dataset(source), EventFilter(actors=frozenset({"Iran"})), "csv") is not first


def test_vocabulary_is_one_for_url_sidebar_and_command_line(dataset):
    vocabulary = dataset.vocabulary
    # a target only a claim names (the reports disagree on which group was hit) is a target everywhere
    assert "Baloch Liberation Army" in vocabulary.target
    assert vocabulary.canonical("actor", "iran") == "Iran"
    assert vocabulary.canonical("actor", "Martians") is None
