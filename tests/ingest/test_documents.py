"""Reading uploads: each format to text, metadata from the text, and hostile files refused by name."""

from __future__ import annotations

from datetime import date

import pytest

from geo.corpus.documents import (
    MB,
    Limits,
    UnreadableDocument,
    check_batch,
    display_name,
    pasted_document,
    read_document,
    report_key,
)
from tests.ingest.conftest import docx_bytes, pdf_bytes, report_bytes, zip_bomb_docx


def test_text_report_metadata_from_its_own_text() -> None:
    doc = read_document("thai-cambodia-1.txt", report_bytes("thai-cambodia-1.txt"))
    assert doc.kind == "text" and doc.key == "thai-cambodia-1"
    assert doc.metadata.title == "Thailand and Cambodia exchange fire along disputed border"
    assert doc.metadata.published == date(2025, 7, 24) and doc.metadata.date_method == "dateline"


def test_html_reduced_to_main_text_without_script_or_navigation() -> None:
    doc = read_document("thai-cambodia-2.html", report_bytes("thai-cambodia-2.html"))
    assert doc.kind == "html"
    assert "Oddar Meanchey" in doc.text
    assert "alert(" not in doc.text and "fetch(" not in doc.text and "tracker.invalid" not in doc.text
    assert "Home" not in doc.text.split("\n")[0]
    assert doc.metadata.title == "Border fighting spreads; civilians flee"
    assert doc.metadata.published == date(2025, 7, 25)


def test_escaped_markup_in_html_stays_literal_text() -> None:
    page = b"<html><body><article><p>" + b"Officials said the clash was serious. " * 5 + \
        b"&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}</p></article></body></html>"
    doc = read_document("page.html", page)
    assert "<script>alert(1)</script>" in doc.text and "{{ 7*7 }}" in doc.text


def test_docx_paragraphs() -> None:
    doc = read_document("brief.docx", docx_bytes("Headline of the day\n\n2025-07-26 SURIN — Shelling continued."))
    assert doc.kind == "docx" and "Shelling continued." in doc.text
    assert doc.metadata.title == "Headline of the day"


def test_pdf_text() -> None:
    doc = read_document("wire.pdf", pdf_bytes(["Rockets hit Sisaket province", "on Thursday, officials said."]))
    assert doc.kind == "pdf" and "Sisaket" in doc.text


def test_zip_bomb_docx_refused_by_name() -> None:
    with pytest.raises(UnreadableDocument, match=r"bomb\.docx: refused, it would expand"):
        read_document("bomb.docx", zip_bomb_docx(60))


def test_pdf_decompression_bomb_refused() -> None:
    bomb = pdf_bytes([], flate_payload=b"\0" * (80 * MB))
    assert len(bomb) < 200_000
    with pytest.raises(UnreadableDocument, match=r"bomb\.pdf: refused, a stream in the PDF expands"):
        read_document("bomb.pdf", bomb)


@pytest.mark.parametrize(("name", "data", "said"), [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ("latin1.txt", "Sisaket — café".encode("cp1252"), "not UTF-8 text"),
    ("fake.pdf", b"hello, not a pdf", "not a PDF"),
    ("fake.docx", b"PK not really a zip", "not a .docx"),
    ("program.exe", b"MZ\x90\x00", ".exe files are not read"),
    ("empty.txt", b"  \n ", "no text found"),
])
def test_unreadable_files_named_with_the_reason(name: str, data: bytes, said: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(name, data)
    assert str(caught.value).startswith(name) and said in str(caught.value)


def test_size_limits_per_file_and_per_batch() -> None:
    limits = Limits(file_bytes=100, batch_bytes=250)
    with pytest.raises(UnreadableDocument, match="over the limit of"):
        read_document("big.txt", b"a" * 101, limits)
    problems = check_batch([("a.txt", 90), ("b.txt", 90), ("c.txt", 120)], limits)
    assert [p.where for p in problems] == ["c.txt", "this batch"]
    assert "per batch" in problems[-1].message
    assert check_batch([("a.txt", 90), ("b.txt", 90)], limits) == []


def test_text_character_limit() -> None:
    with pytest.raises(UnreadableDocument, match="characters of text is over the limit"):
        read_document("long.txt", b"word " * 30, Limits(text_chars=100))


def test_file_names_are_labels_never_paths() -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\report.txt") == "report.txt"
    assert report_key("../../etc/pass wd;rm -rf.txt") == "pass_wd_rm_-rf"
    assert report_key("...") == "report"
    doc = read_document("../../secret/report.txt", b"Some text about Surin.")
    assert doc.name == "report.txt" and doc.key == "report"


def test_pasted_text_named_after_its_headline() -> None:
    doc = pasted_document("Ceasefire agreed\r\n2025-07-28 PUTRAJAYA — Talks ended.")
    assert doc.key == "Ceasefire_agreed" and doc.metadata.published == date(2025, 7, 28)
    with pytest.raises(UnreadableDocument, match="pasted text: no text"):
        pasted_document("   ")
