"""`sitrep brief`: a situation report of a region and period, as html, pdf or md.

Registered on the main Typer app by :mod:`sitrep.cli`; the work is the service's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["default_out", "register"]


def register(app: typer.Typer) -> None:
    app.command(name="brief")(brief)


def brief(
    region: Annotated[str | None, typer.Option(help='An area, country or place ("Idlib").')] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    actor: Annotated[
        list[str] | None, typer.Option(help="Actor id (repeatable); its proxies count too.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or md.")] = "html",
    paper: Annotated[str, typer.Option(help="a4 or letter (pdf and printed html).")] = "a4",
    out: Annotated[
        str | None,
        typer.Option(help="File to write; '-' for standard output. [default: brief-...]"),
    ] = None,
) -> None:
    """Write a situation report: the period's top developments, each sentence sourced."""
    from sitrep.cli import _service  # the CLI module registers this command on import

    target = out or default_out(region, since, until, fmt)
    with _service() as service:
        result = service.brief(region, since, until, tuple(actor or ()), fmt, None, paper.lower())
    if target == "-":
        sys.stdout.buffer.write(result.content)
        sys.stdout.flush()
    else:
        Path(target).write_bytes(result.content)
    Console(stderr=True).print(
        f"wrote {target}: {result.events} events, {result.footnotes} notes", highlight=False
    )


def default_out(region: str | None, since: str | None, until: str | None, fmt: str) -> str:
    """brief-idlib-2020-01-20-2020-02-10.pdf"""
    parts = ["brief", region or "all", since or "", until or ""]
    slug = "-".join(re.sub(r"[^a-z0-9-]+", "-", p.lower()).strip("-") for p in parts if p)
    return f"{slug}.{fmt}"
