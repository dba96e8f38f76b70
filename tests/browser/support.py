"""What the browser tests share: where things are, how chromium starts, the live desk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "VENDOR", "XSS_PAGE", "Desk"]

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "sitrep" / "web" / "static" / "vendor"
ARTIFACTS = ROOT / "test-artifacts"
XSS_PAGE = ROOT / "tests" / "fixtures" / "xss" / "script-in-text.html"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class Desk:
    """The live server and what the demo store holds, for tests to navigate by."""

    url: str
    xss_article: int
    event_id: int
    article_id: int
    actor_id: str
