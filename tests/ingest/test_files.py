"""Local inputs: limits, binary data, encodings and JSON Lines records."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest.files import decode_text, is_binary, jsonl_documents, read_limited
from sitrep.records import Document, Outcome, Status


def test_read_limited_refuses_large_files(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"x" * 2000 + b"</p>")
    assert read_limited(path, 5000).startswith(b"<p>")
    with pytest.raises(InputError) as excinfo:
        read_limited(path, 1000)
    assert excinfo.value.code == "E103"
    assert str(path) in excinfo.value.message


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"plain text\n", False),
        ("caf\u00e9 \u0633\u0648\u0631\u064a\u0627".encode(), False),
        ("text".encode("utf-16"), False),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (bytes(range(256)) * 4, True),
        (b"", False),
    ],
)
def test_is_binary(data: bytes, binary: bool) -> None:
    assert is_binary(data) is binary


def test_decode_text_handles_boms_and_legacy_charsets() -> None:
    assert decode_text("\ufeffHeadline".encode(), "x") == "Headline"
    assert decode_text("Idlib".encode("utf-16"), "x") == "Idlib"
    latin = "Le régime a repris Saraqeb à l'aube, selon des témoins sur place.".encode("cp1252")
    assert "repris Saraqeb" in decode_text(latin, "x")
    broken = b"Maaret al-Numan " * 50 + b"\xff" + b" rest of the text" * 5
    text = decode_text(broken, "x")
    assert text.startswith("Maaret al-Numan")
    assert "rest of the text" in text


def test_jsonl_records_and_their_errors(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    lines = [
        '{"url": "https://w.example/1", "text": "Body one.", "published": "2020-02-10"}',
        '{"url": "https://w.example/2", "html": "<p>Body two</p>", "title": "Two"}',
        "",
        "{not json",
        '["a list"]',
        '{"url": "https://w.example/3"}',
        '{"text": "x", "published": "tenth of February"}',
    ]
    path.write_text("\n".join(lines))
    items = list(jsonl_documents(path, path.read_bytes()))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, Outcome)]
    assert [d.kind for d in docs] == ["text", "html"]
    assert docs[0].published is not None
    assert docs[0].published.isoformat() == "2020-02-10"
    assert docs[1].title == "Two"
    assert docs[0].origin == "jsonl"
    assert [f.source.rsplit(":", 1)[1] for f in fails] == ["4", "5", "6", "7"]
    assert all(f.status is Status.FAILED and f.reason == "E105" for f in fails)
    assert "published" in fails[-1].detail
