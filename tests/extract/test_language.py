from __future__ import annotations

import pytest

from sitrep.extract.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Syrian government forces captured the town of Saraqib after days of fighting.", "en"),
        ("Les forces gouvernementales syriennes ont repris la ville de Saraqeb lundi matin.", "fr"),
        ("سيطرت قوات الحكومة السورية على مدينة سراقب بعد أيام من المعارك العنيفة", "ar"),
        ("Türk askerleri İdlib'deki gözlem noktalarına yeni takviye birlikler gönderdi.", "tr"),
    ],
)
def test_detects_the_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "  ", "ok", "12 34"])
def test_too_little_text_is_unknown(text: str) -> None:
    assert detect_language(text) is None
