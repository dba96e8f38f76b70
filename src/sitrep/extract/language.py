"""Language identification (py3langid ships its model; nothing is downloaded)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["detect_language"]

_SAMPLE = 4000  # characters: enough for a stable guess, cheap on long pages


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load the language model once per process, on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    sample = text.strip()[:_SAMPLE]
    if len(sample.split()) < 3 and len(sample) < 20:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= 0.5 else None
