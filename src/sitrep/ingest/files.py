"""Local inputs: size limits, binary sniffing, text decoding, JSON Lines records."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from sitrep.errors import InputError
from sitrep.isodates import parse_iso
from sitrep.records import Document, Outcome, Status

__all__ = ["SUFFIXES", "decode_text", "is_binary", "jsonl_documents", "read_limited"]

SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "xml",
    ".rss": "xml",
    ".atom": "xml",
}


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read a file whole, refusing one larger than the limit before reading it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                "E103",
                f"{path}: {size:,} bytes is larger than the limit of {max_bytes:,}",
                "raise the setting max_bytes (SITREP_MAX_BYTES) if this is really an article",
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError("E101", f"{path}: cannot be read ({exc.strerror})") from exc


def is_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters up front."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else the most likely charset."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        # Mostly-UTF-8 with a few broken bytes is common in scraped dumps: keep the text.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") / max(len(text), 1) < 0.01:
            return text
        raise InputError("E108", f"{source}: cannot tell the text encoding")
    return data.decode(best.encoding, errors="replace")


def jsonl_documents(path: Path, data: bytes) -> Iterator[Document | Outcome]:
    """One document per line of ``{"url", "html"|"text", "published"?, "title"?}``."""
    text = decode_text(data, str(path))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            yield _jsonl_document(json.loads(line), source)
        except (json.JSONDecodeError, InputError) as exc:
            detail = (
                exc.message
                if isinstance(exc, InputError)
                else f"{source}: invalid JSON ({exc.msg})"
            )
            yield Outcome(source, Status.FAILED, "E105", detail)


def _jsonl_document(record: Any, source: str) -> Document:
    if not isinstance(record, dict):
        raise InputError("E105", f"{source}: a record must be a JSON object")
    html, body = record.get("html"), record.get("text")
    if not isinstance(html, str) and not isinstance(body, str):
        raise InputError("E105", f'{source}: a record needs an "html" or a "text" string')
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        raise InputError("E105", f'{source}: "url" must be a string')
    published_raw = record.get("published")
    published = parse_iso(published_raw) if isinstance(published_raw, str) else None
    if published_raw is not None and published is None:
        raise InputError("E105", f'{source}: "published" {published_raw!r} is not an ISO date')
    title = record.get("title") if isinstance(record.get("title"), str) else None
    return Document(
        source=source,
        kind="html" if isinstance(html, str) else "text",
        content=html if isinstance(html, str) else str(body),
        url=url,
        published=published,
        title=title,
        origin="jsonl",
    )
