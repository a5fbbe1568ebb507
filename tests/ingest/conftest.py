"""Fixtures for the ingest tests: a real SQLite store in a temp dir, the Thailand–Cambodia test reports."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.corpus.documents import DEFAULT_LIMITS, Limits
from geo.store.engine import Store, open_store
from geo.store.ingest import IngestRequest, Outcome, Progress, Upload, ingest
from geo.store.migrate import upgrade

DATA = Path(__file__).resolve().parent.parent / "data" / "ingest"
REPORTS = ("thai-cambodia-1.txt", "thai-cambodia-2.html", "thai-cambodia-3.md", "thai-cambodia-4.txt")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(store)
    try:
        yield store
    finally:
        store.dispose()


def report_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(expanded_mb: int = 200) -> bytes:
    """A .docx-shaped zip whose document.xml expands to expanded_mb of zeros (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded_mb):
                member.write(chunk)
    return buffer.getvalue()


def pdf_bytes(lines: list[str], flate_payload: bytes | None = None) -> bytes:
    """A one-page PDF showing the lines (Helvetica), optionally with an extra Flate stream (a bomb)."""
    import zlib

    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
    ]
    if flate_payload is not None:
        packed = zlib.compress(flate_payload, 9)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    else:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content.encode("latin-1") + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def add_uploads(store: Store, slug: str, uploads: list[Upload], who: str,
                progress: Progress = lambda *_: None, limits: Limits = DEFAULT_LIMITS) -> list[Outcome]:
    """The Add reports page's call: geo.store.ingest.ingest on uploads, what became of each file."""
    return ingest(store, IngestRequest(slug, uploads, who, limits=limits), progress).outcomes
