"""Saved searches and alerts in the CLI: `sitrep searches add|list|remove` and
`sitrep alerts subscribe|run`.

Added to the main Typer app by :mod:`sitrep.cli`; thin like the rest of the CLI, the work
is the service's (:mod:`sitrep.service_alerts`). `sitrep watch` runs the alerts too; `sitrep
alerts run` is the scheduler alone (for a machine that does not poll feeds).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sitrep.alerts.schedule import MODES

if TYPE_CHECKING:
    from sitrep.service_alerts import AlertRun

__all__ = ["register"]

searches_app = typer.Typer(help="Saved searches and their feeds.", no_args_is_help=True)
alerts_app = typer.Typer(help="E-mail alerts and digests of saved searches.", no_args_is_help=True)


def register(main: typer.Typer) -> None:
    main.add_typer(searches_app, name="searches")
    main.add_typer(alerts_app, name="alerts")


@searches_app.command("add")
def add(
    name: str,
    query: Annotated[
        str, typer.Argument(help="The events list's filter: event_type=Battles&q=Idlib")
    ],
    owner: Annotated[str, typer.Option(help="The user the search belongs to.")] = "admin",
) -> None:
    """Save a filter under a name; prints its feed links."""
    from sitrep.cli import _service, out

    with _service() as service:
        search = service.save_search(owner, name, query)
        out.print(f"saved search {search.id}: {escape(search.name)} ({escape(search.query)})")
        for fmt in ("atom", "json"):
            out.print(f"  {fmt} feed: {escape(service.feed_url(search, fmt))}")


@searches_app.command("list")
def list_(owner: Annotated[str | None, typer.Option(help="Only this user's.")] = None) -> None:
    """List saved searches with their subscriptions."""
    from sitrep.cli import _service, out

    with _service() as service:
        searches = service.saved_searches(owner)
        table = Table("id", "owner", "name", "query", "subscribers", "atom feed")
        for search in searches:
            subscribers = ", ".join(
                f"{s.email} ({s.mode})" for s in service.subscriptions(search.id)
            )
            feed = service.feed_url(search, "atom")
            row = (search.name, search.query or "(all events)", subscribers or "-", feed)
            table.add_row(str(search.id), escape(search.owner), *map(escape, row))
    out.print(table if searches else "no saved searches: sitrep searches add NAME QUERY")


@searches_app.command("remove")
def remove(search_id: int) -> None:
    """Delete a saved search, its subscriptions and their unsent alerts."""
    from sitrep.cli import _service, out

    with _service() as service:
        service.delete_search(search_id)
    out.print(f"removed saved search {search_id}")


@alerts_app.command("subscribe")
def subscribe(
    search_id: int,
    email: str,
    mode: Annotated[str, typer.Option(help=f"One of: {', '.join(MODES)}.")] = "immediate",
    min_confidence: Annotated[
        float, typer.Option(help="Only events at least this confident (0 to 1).")
    ] = 0.0,
) -> None:
    """E-mail EMAIL the search's new events and revisions (at once, or as a digest)."""
    from sitrep.cli import _service, out

    with _service() as service:
        subscription = service.subscribe(search_id, email, mode, min_confidence)
    out.print(f"subscribed {escape(subscription.email)} to search {search_id} ({mode})")


@alerts_app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Run once and exit.")] = False,
    every: Annotated[float, typer.Option(help="Seconds between runs.")] = 60.0,
) -> None:
    """Queue and send the alerts that are due (until stopped, or --once)."""
    from sitrep.cli import _service, err

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if not once:
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
    with _service() as service:
        while True:
            result = service.run_alerts()
            _print_run(result)
            if once:
                raise typer.Exit(1 if result.failed else 0)
            if stop.wait(every):
                err.print("stopped")
                return


def _print_run(result: AlertRun) -> None:
    from sitrep.cli import err, out

    if result.queued or result.sent or result.failed:
        out.print(f"alerts: {result.queued} queued, {result.sent} sent, {result.failed} failed")
    for error in result.errors:
        err.print(f"[yellow]will retry:[/] {escape(error)}")
