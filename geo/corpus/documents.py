"""Read uploaded reports (.txt, .md, .html, .pdf, .docx or pasted text) into plain text, defensively.

Uploads are hostile until read: every file is size-checked before it is parsed, a .docx is checked as a zip
(declared expanded size and compression ratio) before python-docx opens it, a PDF is read by pypdf with its
decompression limits and a page and character budget, HTML is reduced to its main text by trafilatura on
the bytes given (it never fetches anything) and text must be UTF-8. A file's name is only a label: it is
never used as a path, and the report key made from it keeps letters, digits, '-' and '_' only.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from geo.corpus.metadata import TextMetadata, read_text_metadata
from geo.errors import InputError, Problem

MB = 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".pdf", ".docx")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    """How much one upload and one batch may be; what a compressed file may expand to."""

    file_bytes: int = 5 * MB
    batch_bytes: int = 20 * MB
    text_chars: int = 400_000
    expanded_bytes: int = 40 * MB
    compression_ratio: float = 120.0
    pdf_pages: int = 300


DEFAULT_LIMITS = Limits()


class UnreadableDocument(InputError):
    """This upload cannot be read as a report; the message names the file and says why."""


@dataclass(frozen=True)
class Document:
    """One upload read as text, with what its text (or page metadata) says about it."""

    name: str
    key: str
    kind: str
    text: str
    metadata: TextMetadata
    date_note: str = ""


def display_name(name: str) -> str:
    """The last part of an uploaded file name, without control characters, at most 120 characters."""
    last = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return _CONTROL.sub("", last).strip()[:120] or "unnamed"


def report_key(name: str) -> str:
    """A report key from a file name: its stem with anything but letters, digits, '-' and '_' replaced."""
    stem = display_name(name)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return _KEY_UNSAFE.sub("_", stem).strip("_")[:60] or "report"


def check_batch(sizes: Sequence[tuple[str, int]], limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Problems with a batch before anything is read: files over the per-file limit, a batch over its limit."""
    problems = [Problem(display_name(name), f"{size / MB:.1f} MB is over the limit of {limits.file_bytes / MB:.0f}"
                        " MB per file; split it or paste the part that matters")
                for name, size in sizes if size > limits.file_bytes]
    total = sum(size for _, size in sizes)
    if total > limits.batch_bytes:
        problems.append(Problem("this batch", f"{total / MB:.1f} MB in all is over the limit of "
                                f"{limits.batch_bytes / MB:.0f} MB per batch; add the files in smaller groups"))
    return problems


def read_document(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The report text of one upload; UnreadableDocument (naming the file) if it cannot be read safely."""
    shown = display_name(name)
    if len(data) > limits.file_bytes:
        raise UnreadableDocument(f"{shown}: {len(data) / MB:.1f} MB is over the limit of "
                                 f"{limits.file_bytes / MB:.0f} MB per file")
    suffix = "." + shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if suffix == ".pdf":
        text, kind, meta = _pdf_text(shown, data, limits), "pdf", None
    elif suffix == ".docx":
        text, kind, meta = _docx_text(shown, data, limits), "docx", None
    elif suffix in HTML_SUFFIXES:
        text, meta = _html_text(shown, data)
        kind = "html"
    elif suffix in TEXT_SUFFIXES or suffix == "":
        text, kind, meta = decode_text(shown, data), "text", None
    else:
        raise UnreadableDocument(f"{shown}: {suffix} files are not read; use "
                                 f"{', '.join(SUPPORTED_SUFFIXES)} or paste the text")
    return _document(shown, kind, _checked_text(shown, text, limits), meta)


def pasted_document(text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Text pasted by the analyst, as a report named after its headline (or 'pasted')."""
    checked = _checked_text("pasted text", text.replace("\r\n", "\n"), limits)
    metadata = text_metadata(checked)
    key = report_key(metadata.title[:50] + ".txt") if metadata.title else "pasted"
    return Document(name="pasted text", key=key, kind="paste", text=checked, metadata=metadata)


def text_metadata(text: str) -> TextMetadata:
    """Title, publisher and date the text states (geo.corpus.metadata.read_text_metadata)."""
    return read_text_metadata(text)


def _document(shown: str, kind: str, text: str, page_meta: TextMetadata | None) -> Document:
    from_text = text_metadata(text)
    if page_meta is None:
        return Document(shown, report_key(shown), kind, text, from_text)
    published = from_text.published or page_meta.published
    metadata = TextMetadata(title=from_text.title or page_meta.title,
                            publisher=from_text.publisher or page_meta.publisher, published=published,
                            date_method="dateline" if published else "unknown")
    note = "" if from_text.published or not page_meta.published else "date from the page's own metadata"
    return Document(shown, report_key(shown), kind, text, metadata, note)


def _checked_text(shown: str, text: str, limits: Limits) -> str:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableDocument(f"{shown}: no text found in it (empty, scanned images, or only markup)")
    if len(text) > limits.text_chars:
        raise UnreadableDocument(f"{shown}: {len(text):,} characters of text is over the limit of "
                                 f"{limits.text_chars:,} per report")
    return text


def decode_text(shown: str, data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); binary or other encodings are refused by name."""
    if b"\x00" in data[:8192]:
        raise UnreadableDocument(f"{shown}: looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"{shown}: not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                                 f"{exc.start}); save it as UTF-8 and add it again") from None
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.02:
        raise UnreadableDocument(f"{shown}: looks like a binary file (control characters), not text")
    return text.replace("\r\n", "\n")


def _html_text(shown: str, data: bytes) -> tuple[str, TextMetadata]:
    """The main text of a saved web page (trafilatura on the bytes given: no script, no fetch)."""
    import trafilatura

    markup = decode_text(shown, data)
    try:
        doc = trafilatura.bare_extraction(markup, include_comments=False, include_tables=False,
                                          with_metadata=True, date_extraction_params={
                                              "extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise UnreadableDocument(f"{shown}: the HTML could not be parsed ({type(exc).__name__})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        text = trafilatura.html2txt(markup, clean=True).strip()
    return text, _page_metadata(doc)


def _page_metadata(doc: object) -> TextMetadata:
    published = None
    raw = getattr(doc, "date", None) or ""
    try:
        published = date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        published = None
    return TextMetadata(title=(getattr(doc, "title", None) or "").strip()[:200],
                        publisher=(getattr(doc, "sitename", None) or "").strip()[:80], published=published,
                        date_method="dateline" if published else "unknown")


def _docx_text(shown: str, data: bytes, limits: Limits) -> str:
    """Paragraph text of a .docx, after checking the zip cannot expand beyond the limits (zip bombs)."""
    _check_zip(shown, data, limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on a broken package
        raise UnreadableDocument(f"{shown}: not a readable .docx ({type(exc).__name__})") from None
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


def _check_zip(shown: str, data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableDocument(f"{shown}: not a .docx (not a zip package)") from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise UnreadableDocument(f"{shown}: not a Word document (no word/document.xml)")
    expanded = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if expanded > limits.expanded_bytes or expanded / packed > limits.compression_ratio:
        raise UnreadableDocument(f"{shown}: refused, it would expand to {expanded / MB:,.0f} MB "
                                 f"({expanded / packed:,.0f} times its size): a zip bomb or not a report")


def _pdf_text(shown: str, data: bytes, limits: Limits) -> str:
    """Text of a PDF's pages within a page and character budget; pypdf's own decompression limits apply."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(f"{shown}: not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument(f"{shown}: the PDF is encrypted; save an unprotected copy")
        if len(reader.pages) > limits.pdf_pages:
            raise UnreadableDocument(f"{shown}: {len(reader.pages)} pages is over the limit of {limits.pdf_pages}")
        return _pdf_pages(shown, reader, limits)
    except LimitReachedError:
        raise UnreadableDocument(f"{shown}: refused, a stream in the PDF expands beyond the safe limit "
                                 "(a decompression bomb or not a report)") from None
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(f"{shown}: not a readable PDF ({type(exc).__name__})") from None


def _pdf_pages(shown: str, reader: object, limits: Limits) -> str:
    parts: list[str] = []
    total = 0
    for page in reader.pages:  # type: ignore[attr-defined]
        text = page.extract_text() or ""
        total += len(text)
        if total > limits.text_chars:
            raise UnreadableDocument(f"{shown}: over {limits.text_chars:,} characters of text per report")
        parts.append(text.strip())
    return "\n\n".join(p for p in parts if p)
