"""Content-Encoding removed by sitrep itself, piece by piece, so a gzip bomb stops early."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from sitrep.errors import FetchError

__all__ = ["CHUNK", "decoded"]

CHUNK = 65_536

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


def decoded(raw: Iterable[bytes], encoding: str, url: str) -> Iterator[bytes]:
    """The body with Content-Encoding removed, in pieces of at most CHUNK bytes.

    Decoding ourselves (rather than through httpx) bounds how much one compressed chunk
    may expand before the caller counts it: that is what stops a gzip bomb early.
    """
    codings = [c.strip().lower() for c in encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        yield from raw
        return
    if codings not in (["gzip"], ["x-gzip"], ["deflate"]):
        raise FetchError(
            "E204",
            f"{url}: the server used Content-Encoding {encoding!r}, which sitrep cannot decode",
            "the server ignored Accept-Encoding: gzip, deflate; report it to the site",
        )
    try:
        yield from _inflate(raw, codings[0])
    except zlib.error as exc:
        raise FetchError(
            "E209",
            f"{url}: the {codings[0]} body is corrupt ({exc})",
            "the site or the network is unreliable; try again later",
        ) from None


def _inflate(raw: Iterable[bytes], coding: str) -> Iterator[bytes]:
    decompressor = None
    for chunk in raw:
        if decompressor is None:
            decompressor = zlib.decompressobj(_wbits(coding, chunk))
        data = chunk
        while True:
            out = decompressor.decompress(data, CHUNK)
            if out:
                yield out
            data = decompressor.unconsumed_tail
            # A full piece may leave output pending inside zlib even with no input left.
            if decompressor.eof or (not data and len(out) < CHUNK):
                break
        if decompressor.eof:
            return  # bytes after the end of the stream (or a second gzip member) are ignored
    if decompressor is not None:
        yield decompressor.flush()


def _wbits(coding: str, first_chunk: bytes) -> int:
    if coding != "deflate":
        return _GZIP_WBITS
    # "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate.
    zlib_header = (
        len(first_chunk) >= 2
        and first_chunk[0] & 0x0F == 8
        and (first_chunk[0] << 8 | first_chunk[1]) % 31 == 0
    )
    return _ZLIB_WBITS if zlib_header else _RAW_DEFLATE_WBITS
