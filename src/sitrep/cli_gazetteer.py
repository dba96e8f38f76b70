"""Gazetteer commands of the CLI: `sitrep gazetteer update` and `sitrep gazetteer info`.

Added to the main Typer app by :mod:`sitrep.cli`; as thin as the rest of the CLI, the
work is the service's (:meth:`sitrep.service.Service.update_gazetteer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import DownloadColumn, Progress, TaskID, TransferSpeedColumn

if TYPE_CHECKING:
    from sitrep.service import GazetteerUpdate

__all__ = ["app"]

app = typer.Typer(
    help="The gazetteer index: add GeoNames' full dumps, show what it holds.",
    no_args_is_help=True,
)

MAX_LISTED_COUNTRIES = 20


@app.command("update")
def update(
    countries: Annotated[
        str | None, typer.Option(help="Comma-separated ISO codes, e.g. SY,TR,IQ.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every country: allCountries.zip, ~400 MB.")
    ] = False,
) -> None:
    """Download GeoNames' full dumps (villages cities500 lacks) and rebuild the index.

    Without --countries or --all, the dumps downloaded before are checked for updates.
    """
    from sitrep.cli import _progress, _service  # the CLI module adds these commands

    if countries and all_:
        raise typer.BadParameter("give --countries or --all, not both", param_hint="--all")
    codes = [code for code in (countries or "").split(",") if code.strip()]
    with _service() as service, _progress(DownloadColumn(), TransferSpeedColumn()) as progress:
        done = service.update_gazetteer(codes, all_, progress=_dump_progress(progress))
    _print_update(done)


@app.command("info")
def info() -> None:
    """Where the gazetteer index is and what it holds."""
    from sitrep.cli import _service, out

    with _service() as service:
        meta = service.gazetteer_info()
    for key in ("path", "built_at", "countries", "places", "names"):
        out.print(f"{key}: {escape(meta.get(key, '-'))}")
    dates = json.loads(meta.get("dump_dates") or "{}")
    listed = ", ".join(f"{name} ({date})" for name, date in sorted(dates.items()))
    out.print(f"dumps: {escape(listed or 'none (add some with: sitrep gazetteer update)')}")
    out.print(meta.get("attribution", ""))


def _print_update(done: GazetteerUpdate) -> None:
    from sitrep.cli import out

    for download in done.downloads:
        state = f"downloaded {download.size / 1e6:.1f} MB" if download.changed else "not modified"
        out.print(f"{escape(download.file)}: {state}")
    meta = done.meta
    if not done.rebuilt:
        out.print(f"index {escape(meta['path'])} is up to date: the dumps are unchanged")
        return
    counts = json.loads(meta.get("dump_counts") or "{}")
    for country, (added, updated) in sorted(counts.items())[:MAX_LISTED_COUNTRIES]:
        out.print(f"merged {country}: {added} place(s) added, {updated} updated")
    if len(counts) > MAX_LISTED_COUNTRIES:
        added, updated = (sum(c[i] for c in counts.values()) for i in (0, 1))
        out.print(f"merged {len(counts)} countries: {added} place(s) added, {updated} updated")
    out.print(
        f"index {escape(meta['path'])} rebuilt: {meta.get('places')} places, "
        f"{meta.get('names')} names; {done.seconds:.1f} s in all"
    )
    out.print(meta.get("attribution", ""))


def _dump_progress(progress: Progress) -> Callable[[str, int, int | None], None]:
    tasks: dict[str, TaskID] = {}

    def advance(name: str, received: int, total: int | None) -> None:
        if name not in tasks:
            tasks[name] = progress.add_task(name, total=total)
        progress.update(tasks[name], completed=received, total=total)

    return advance
