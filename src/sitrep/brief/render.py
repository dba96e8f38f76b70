"""A brief as HTML (prints well, A4 or Letter), Markdown, or PDF through WeasyPrint."""

from __future__ import annotations

import base64
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sitrep.brief.write import Footnote, Section
from sitrep.errors import ConfigError, InputError

__all__ = ["FORMATS", "MEDIA_TYPES", "PAPERS", "Report", "render"]

FORMATS = ("html", "pdf", "md")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}
PAPERS = {"a4": "A4", "letter": "letter"}  # CSS @page size names
CHART_WIDTH_IN = 6.4  # fits inside the margins of both papers


@dataclass
class Report:
    title: str
    period: str
    generated: str
    sections: list[Section]
    footnotes: list[Footnote]
    outlets: list[tuple[str, int]]  # outlet, events it reported
    events: int
    base_url: str = ""  # where event and article links point ("" for relative links)
    charts: dict[str, bytes] = field(default_factory=dict)  # name -> PNG


def render(report: Report, fmt: str, paper: str = "a4") -> bytes:
    if fmt not in FORMATS:
        raise InputError("E111", f"a brief cannot be written as {fmt!r}", "use html, pdf or md")
    if paper not in PAPERS:
        raise InputError("E111", f"unknown paper size {paper!r}", "use a4 or letter")
    if fmt == "md":
        return markdown(report).encode()
    html = (
        _environment()
        .get_template("brief.html")
        .render(report=report, paper=PAPERS[paper], images=_data_uris(report.charts))
    )
    if fmt == "html":
        return html.encode()
    return _pdf(html)


def markdown(report: Report) -> str:
    lines = [
        f"# {_md_escape(report.title)}",
        "",
        f"*{report.period}. Written {report.generated}.*",
        "",
    ]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.key == "summary" and "map" in report.charts:
            lines += ["(The map is in the HTML and PDF editions.)", ""]
        lines += _md_sentences(section) or [section.empty, ""]
    lines += ["## Sources", ""]
    lines += [f"- {_md_escape(outlet)}: {_events(n)}" for outlet, n in report.outlets] + [""]
    lines += ["## Notes", ""]
    for note in report.footnotes:
        events = ", ".join(f"[event {e}]({report.base_url}/events/{e})" for e in note.events)
        more = f" and {note.more_events} more" if note.more_events else ""
        sources = "; ".join(
            f"[{_md_escape(f'{s.outlet}: {s.title}')}]({report.base_url}/articles/{s.article_id})"
            for s in note.sources
        )
        lines.append(f"[^{note.number}]: {events}{more}. {sources}")
    return "\n".join(lines) + "\n"


def _md_sentences(section: Section) -> list[str]:
    lines: list[str] = []
    for index, sentence in enumerate(section.sentences):
        if index in section.heading:
            lines += ["", f"### {_md_escape(section.heading[index])}", ""]
        lines.append(f"- {_md_escape(sentence.text)}[^{sentence.note}]")
    return [*lines, ""] if lines else []


def _md_escape(text: str) -> str:
    """Keep outlets' words from becoming markup: brackets, emphasis, raw HTML."""
    for char in "\\[]*_<>`":
        text = text.replace(char, "\\" + char)
    return text


def _events(n: int) -> str:
    return f"{n} event" if n == 1 else f"{n} events"


def _data_uris(charts: dict[str, bytes]) -> dict[str, str]:
    return {
        name: "data:image/png;base64," + base64.b64encode(png).decode()
        for name, png in charts.items()
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sitrep.brief", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["events_word"] = _events
    return env


def _pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    document: Any = weasyprint.HTML(string=html)
    return bytes(document.write_pdf())


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use: the dependency is optional."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:  # OSError: pango is missing
        raise ConfigError(
            "E003",
            f"the PDF brief needs the weasyprint package and pango, which are not usable ({exc})",
            "pip install 'sitrep[brief]' (and apt-get install libpango-1.0-0), or write html",
        ) from exc


def sentence_count(sections: Sequence[Section]) -> int:
    return sum(len(s.sentences) for s in sections)
