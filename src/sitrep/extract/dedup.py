"""Fingerprints for exact and near-duplicate articles.

Exact copies share the hash of their normalised body. Near-duplicates (syndicated copies
with a changed headline, a trimmed sentence, a "first appeared on" line) are found with
MinHash over word 5-shingles and banded locality-sensitive hashing: the store keeps the
band keys in an index, so finding candidates is a lookup, not a scan of every article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

from sitrep.records import Fingerprint

__all__ = ["Fingerprint", "copy_score", "fingerprint", "normalise", "similarity"]

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs at Jaccard 0.8 collide in a band with p > 0.99
ROWS = NUM_PERM // BANDS
SHINGLE = 5

_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20200128)  # fixed: fingerprints must be stable across runs
_A = _rng.integers(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for hashing."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(folded))


def fingerprint(text: str) -> Fingerprint:
    norm = normalise(text)
    content_hash = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    shingles = _shingles(norm.split())
    signature = _minhash(shingles)
    return Fingerprint(content_hash, signature.tobytes(), len(shingles), _band_keys(signature))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    sa = np.frombuffer(a, dtype=np.uint64)
    sb = np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(sa == sb))


# A new article that holds an earlier one is a copy only if it adds little to it.
MAX_GROWTH = 1.5


def copy_score(new: Fingerprint, earlier_signature: bytes, earlier_shingles: int) -> float:
    """How much a new article is a copy of an earlier one, in [0, 1].

    Syndicated copies drop a paragraph, reword a sentence, add a kicker or a "first
    appeared on" line: their Jaccard similarity falls well below 0.8 although one holds
    almost all of the other. So the score is containment, estimated from the MinHash
    Jaccard and the two shingle counts: the share of the new article found in the earlier
    one, or the share of the earlier one found in the new article when the new one is not
    much longer. An analysis that quotes a whole wire brief and adds much of its own is not
    a copy of the brief.
    """
    jaccard = similarity(new.signature, earlier_signature)
    intersection = jaccard / (1.0 + jaccard) * (new.shingles + earlier_shingles)
    new_in_earlier = intersection / max(new.shingles, 1)
    earlier_in_new = intersection / max(earlier_shingles, 1)
    if new.shingles <= MAX_GROWTH * earlier_shingles:
        return min(1.0, max(new_in_earlier, earlier_in_new))
    return min(1.0, new_in_earlier)


def _shingles(words: list[str]) -> set[str]:
    if len(words) >= SHINGLE:
        return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return {" ".join(words)}


def _minhash(shingles: set[str]) -> np.ndarray:
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    # Wrapping uint64 arithmetic is intended: it is a universal hash family modulo 2^64.
    with np.errstate(over="ignore"):
        permuted = (np.outer(_A, hashes) + _B[:, None]) % _MERSENNE
    result: np.ndarray = permuted.min(axis=1)
    return result


def _band_keys(signature: np.ndarray) -> tuple[int, ...]:
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True) >> 1)
    return tuple(keys)
