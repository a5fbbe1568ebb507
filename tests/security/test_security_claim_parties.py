"""Actor and target claims are checked against their quotes (issue 9, "Lax validation")."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from geo.corpus.articles import load_corpus
from geo.events.claim_parties import party_problem
from geo.events.table import build_table
from geo.paths import DATA_DIR
from geo.places.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(("value", "quote"), [
    ("Iran", "Tehran, likewise, said its attack on Tuesday was aimed at terrorist groups."),
    ("Iran", "the Iranian foreign ministry said"),
    ("Iranian security forces", "11 Iranian security personnel were killed"),
    ("Pakistan", "Islamabad said the strikes were a violation"),
    ("Pakistan", "a Pakistani official said"),
    ("United States and allies", "despite counter-strikes by the U.S. and Britain"),
    ("Islamic State", "a suicide bombing claimed by ISIS"),
    ("Baloch Liberation Army", "The Baluch Liberation Army, an ethnic separatist group"),
    ("Israeli targets (as claimed by Iran)", "what it claimed were Israeli targets in northern Iraq"),
    ("Houthis", "retaliatory strikes on Houthi targets in Yemen"),
    ("Syria", "the Syrian government said"),
])
def test_names_demonyms_capitals_and_acronyms_support_a_party(gazetteer, value, quote):
    assert party_problem(value, quote, gazetteer) is None


@pytest.mark.parametrize(("value", "quote", "message"), [
    ("Martians", "Iran conducted airstrikes in Syria and Iraq", "'Martians' does not occur in the quote"),
    ("Pakistan", "Iran conducted airstrikes in Syria and Iraq", "'Pakistan' names PK but the quote names none"),
    ("Iranian security forces", "Pakistani security forces said", "names IR"),
    ("Jaish al-Adl", "Iran conducted airstrikes", "does not occur"),
])
def test_a_party_the_quote_does_not_name_is_a_problem(gazetteer, value, quote, message):
    problem = party_problem(value, quote, gazetteer)
    assert problem is not None and message in problem


def test_an_actor_claim_that_its_quote_does_not_support_is_reported_by_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("boundaries", "gazetteer"))
    claims = data / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if ",actor,Iran,Iran conducted airstrikes" in text)
    lines[line] = lines[line].replace(",actor,Iran,", ",actor,Martians,", 1)
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(data / "articles", data / "articles.csv")
    table = build_table(data / "events.csv", claims, data / "facts.csv", corpus)
    messages = [str(p) for p in table.problems]
    assert any(m.startswith(f"claims.csv line {line + 1}, field value") and "Martians" in m for m in messages)
    assert not any(c.value == "Martians" for c in table.claims)


def test_every_seed_party_claim_is_supported(table):
    parties = [c for c in table.claims if c.field in ("actor", "target")]
    assert len(parties) > 30
    assert not [str(p) for p in table.problems if "quote names none" in p.message or "does not occur in the quote"
                in p.message]
    assert dataclasses.fields(parties[0])
