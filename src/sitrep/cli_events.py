"""Event commands of the CLI: `sitrep fuse`, `sitrep events list` and `sitrep events show`.

Added to the main Typer app by :mod:`sitrep.cli`; thin, the work is the service's.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep.store.events import EventFilter

if TYPE_CHECKING:
    from sitrep.service import Service

__all__ = ["app", "register"]

app = typer.Typer(help="Fused events: list and show them.", no_args_is_help=True)
out = Console(highlight=False)


def register(main: typer.Typer) -> None:
    main.command("fuse")(fuse)
    main.command("export")(export)
    main.add_typer(app, name="events")


def export(
    fmt: Annotated[str, typer.Option("--format", help="geojson, csv, parquet or jsonl.")],
    output: Annotated[
        str | None, typer.Option(help="File to write (default: standard output).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    sub_event_type: Annotated[str | None, typer.Option("--sub-type")] = None,
    actor: Annotated[list[str] | None, typer.Option(help="Actor id; its proxies too.")] = None,
    bbox: Annotated[str | None, typer.Option(help="west,south,east,north in degrees.")] = None,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.0,
    disputed: Annotated[bool, typer.Option(help="Only events with disputed fields.")] = False,
    base_url: Annotated[
        str | None, typer.Option(help="The web UI's address, for the sitrep_url column.")
    ] = None,
) -> None:
    """Export fused events (streaming): CSV in ACLED's columns, GeoJSON, Parquet, JSONL."""
    import sys

    from sitrep.cli import _service

    if fmt.lower() == "parquet" and output is None:
        raise typer.BadParameter("parquet needs --output FILE", param_hint="--output")
    with _service() as service:
        where = _filter(
            service,
            actor,
            bbox,
            None,
            since=since,
            until=until,
            sub_event_type=sub_event_type,
            min_confidence=min_confidence,
            disputed=disputed,
        )
        target = output if output is not None else sys.stdout
        written = service.export_events(fmt, target, where, base_url)
    if output is not None:
        out.print(f"exported {written} event(s) to {escape(output)}")


def fuse(
    check: Annotated[
        bool, typer.Option(help="Fuse everything again in memory and compare with the store.")
    ] = False,
) -> None:
    """Fuse event mentions from every article into events (only the new ones)."""
    from sitrep.cli import _service

    with _service() as service:
        if check:
            result = service.fusion_check()
            verdict = "same as stored" if result["same"] else "DIFFERENT from stored"
            out.print(f"from scratch: {result['events']} event(s), {verdict}")
            for key in result["differences"]:
                out.print(f"  differs: {key}")
            raise typer.Exit(0 if result["same"] else 1)
        report = service.fuse()
    out.print(
        f"fused: {report.mentions} mention(s); {report.created} event(s) created, "
        f"{report.updated} updated; {report.events} event(s) in all"
    )


@app.command("list")
def list_events(
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, typer.Option("--sub-type")] = None,
    actor: Annotated[
        list[str] | None, typer.Option(help="Actor id (repeatable); its proxies count too.")
    ] = None,
    bbox: Annotated[str | None, typer.Option(help="west,south,east,north in degrees.")] = None,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.0,
    disputed: Annotated[bool, typer.Option(help="Only events with disputed fields.")] = False,
    text: Annotated[str | None, typer.Option(help="Words in the event's record.")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="The list as it stood then (ISO date or datetime).")
    ] = None,
    sort: Annotated[str, typer.Option(help="date or confidence.")] = "date",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """Fused events, newest first, with filters."""
    from sitrep.cli import _service

    with _service() as service:
        where = _filter(
            service,
            actor,
            bbox,
            as_of,
            since=since,
            until=until,
            event_type=event_type,
            sub_event_type=sub_event_type,
            min_confidence=min_confidence,
            disputed=disputed,
            text=text,
        )
        events = service.events(where, limit=limit, offset=offset, order=sort)
    if as_json:
        for event in events:
            out.print_json(json.dumps(event, ensure_ascii=False, default=str), indent=None)
        return
    table = Table("id", "date", "type", "where", "outlets", "conf.", "notes")
    for event in events:
        location = event.get("location") or {}
        flag = " [red]disputed[/]" if event.get("disputed") else ""
        table.add_row(
            str(event["id"]),
            str(event.get("date") or "-"),
            escape(event["sub_event_type"]),
            escape(str(location.get("text") or "-")),
            f"{len(event['outlets'])} ({event['confirmations']} indep.)",
            f"{event['confidence']:.2f}{flag}",
            escape(event.get("notes") or ""),
        )
    out.print(table)


@app.command("show")
def show(event_id: int) -> None:
    """One event: its fields, the claims behind them, its mentions and its history."""
    from sitrep.cli import _service

    with _service() as service:
        event = service.event(event_id)
    out.print_json(json.dumps(event, ensure_ascii=False, default=str))


@app.command("merge")
def merge(keep: int, other: int) -> None:
    """Merge event OTHER into event KEEP (OTHER is retracted, with its history kept)."""
    from sitrep.cli import _service

    with _service() as service:
        event = service.merge_events(keep, other)
    out.print(f"event {keep}: {len(event['mentions'])} mention(s); {escape(event['notes'])}")


@app.command("split")
def split(event_id: int, mentions: list[int]) -> None:
    """Move MENTIONS (mention ids) out of the event into a new one."""
    from sitrep.cli import _service

    with _service() as service:
        new = service.split_event(event_id, mentions)
    out.print(f"new event {new['id']}: {len(new['mentions'])} mention(s)")


@app.command("pin")
def pin(event_id: int, field: str, value: str) -> None:
    """Fix FIELD of the event to VALUE (JSON, e.g. '{"value": 12, "range": [12, 20]}')."""
    from sitrep.cli import _service

    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = value  # a bare word is a string
    with _service() as service:
        event = service.pin_event(event_id, field, parsed)
    out.print(f"event {event_id}: {field} pinned; {escape(event['notes'])}")


def _filter(
    service: Service, actor: list[str] | None, bbox: str | None, as_of: str | None, **fields: Any
) -> EventFilter:
    """The options as a filter: an actor with its proxies, a parsed box and moment."""
    return EventFilter(
        actors=service.actor_family(actor or []), bbox=_bbox(bbox), as_of=_when(as_of), **fields
    )


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise typer.BadParameter("expected west,south,east,north", param_hint="--bbox") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise typer.BadParameter(
            "coordinates out of range or in the wrong order", param_hint="--bbox"
        )
    return west, south, east, north


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is no ISO date or datetime", param_hint="--as-of"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()
