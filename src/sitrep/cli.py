"""The command line: parse, call the service, print. Errors become a message and an exit code."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from sitrep import __version__, cli_alerts, cli_brief, cli_events, cli_gazetteer, cli_geo, cli_users
from sitrep.errors import InputError, SitrepError
from sitrep.ingest.files import SUFFIXES
from sitrep.ingest.sources import is_url
from sitrep.records import Article, IngestReport, Outcome, Status, StoredArticle
from sitrep.service import PollResult, Service
from sitrep.settings import Settings
from sitrep.store.base import MARK_END, MARK_START

app = typer.Typer(
    help="sitrep: conflict news in, a sourced and searchable event record out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
feeds_app = typer.Typer(help="Register feeds and poll them.", no_args_is_help=True)
articles_app = typer.Typer(help="Browse the stored articles.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(articles_app, name="articles")
app.add_typer(cli_gazetteer.app, name="gazetteer")
app.add_typer(cli_users.app, name="users")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

MAX_LISTED_PROBLEMS = 20


class _State:
    config: Path | None = None
    database_url: str | None = None


def _service(**overrides: Any) -> Service:
    settings = Settings.load(
        config_file=_State.config, database_url=_State.database_url, **overrides
    )
    return Service(settings)


@app.callback()
def _options(
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file.", envvar="SITREP_CONFIG")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Store URL (overrides settings).")
    ] = None,
) -> None:
    _State.config = config
    _State.database_url = database_url


# -- ingest and extract


@app.command()
def ingest(
    targets: Annotated[
        list[str], typer.Argument(help="Files, folders, .jsonl, feeds, sitemaps or URLs.")
    ],
) -> None:
    """Ingest articles into the store and print what was stored, duplicate, skipped, failed."""
    with _service() as service:
        report = _run_ingest(service, targets)
    _print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _run_ingest(service: Service, targets: list[str]) -> IngestReport:
    total = _count_local_inputs(targets)
    with _progress() as progress:
        task = progress.add_task("ingesting", total=total)

        def advance(outcome: Outcome) -> None:
            progress.update(task, advance=1, description=_short(outcome.source))

        return service.ingest(targets, progress=advance)


def _count_local_inputs(targets: list[str]) -> int | None:
    """How many files the targets hold, when all are local and none is a feed/JSONL."""
    count = 0
    for target in targets:
        path = Path(target)
        if is_url(target) or not path.exists():
            return None
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        kinds = [SUFFIXES.get(p.suffix.lower()) for p in files]
        if any(kind in ("jsonl", "xml") for kind in kinds):
            return None
        count += sum(1 for kind in kinds if kind)
    return count


@app.command()
def extract(
    target: Annotated[str, typer.Argument(help="A file or URL.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "json",
) -> None:
    """Print what the extractor makes of one input, without storing it."""
    _check_format(format)
    with _service() as service:
        article = service.extract_preview(target)
    if format == "json":
        out.print_json(json.dumps(article.to_json(), ensure_ascii=False))
        return
    out.print(f"[bold]{escape(article.title or '(no title)')}[/]")
    for key in ("subtitle", "byline", "published", "site", "url", "language"):
        value = article.to_json()[key]
        if value:
            out.print(f"[dim]{key}:[/] {escape(str(value))}")
    for caption in article.captions:
        out.print(f"[italic]caption: {escape(caption)}[/]")
    for paragraph in article.paragraphs:
        out.print(f"\n{escape(paragraph)}")
    if article.removed:
        out.print(f"\n[dim]removed {len(article.removed)} line(s) of page furniture[/]")


# -- event coding


@app.command()
def analyze(
    target: Annotated[str, typer.Argument(help="A file or URL.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "json",
) -> None:
    """Extract one input and code its events, without storing anything."""
    _check_format(format)
    with _service() as service:
        article, events = service.analyze(target)
    if format == "json":
        data = {"article": article.to_json(), "events": [e.to_json() for e in events]}
        out.print_json(json.dumps(data, ensure_ascii=False, default=str))
        return
    out.print(f"[bold]{escape(article.title or '(untitled)')}[/] — {len(events)} event(s)")
    for event in events:
        who = event.actor1.text if event.actor1 else "?"
        whom = f" → {event.actor2.text}" if event.actor2 else ""
        where = f" @ {event.location.text}" if event.location else ""
        out.print(
            f"\n[bold]{escape(event.sub_event_type)}[/] {event.date or '?'} "
            f"({event.date_precision}) {escape(who + whom + where)}"
        )
        out.print(
            f"  [dim]{escape(event.attribution)}, {event.modality}, "
            f"confidence {event.confidence:.2f}[/]"
        )
        out.print(f"  [italic]{escape(event.evidence.text)}[/]")


@app.command()
def classify(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read and write JSON Lines.")] = False,
) -> None:
    """Event type of each text: reads {"id", "text"} lines on stdin, writes one line each."""
    if not jsonl:
        raise typer.BadParameter("only --jsonl is supported", param_hint="--jsonl")
    records = []
    for where, record in cli_geo.read_jsonl_records(sys.stdin.buffer):
        if not isinstance(record.get("text"), str):
            raise InputError("E105", f'{where}: a record needs a "text" string')
        records.append((record.get("id"), record["text"]))
    with _service() as service:
        verdicts = service.classify_texts([text for _, text in records])
    for (record_id, _), verdict in zip(records, verdicts, strict=True):
        line = {
            "id": record_id,
            "event_type": verdict.event_type if verdict else None,
            "sub_event_type": verdict.sub_event_type if verdict else None,
            "confidence": round(verdict.confidence, 3) if verdict else 0.0,
        }
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


@app.command()
def process(
    recode: Annotated[
        bool, typer.Option(help="Recode articles coded by another coder version.")
    ] = False,
) -> None:
    """Code events in every stored article not yet coded."""
    with _service() as service, _progress() as progress:
        task = progress.add_task("coding", total=None)
        report = service.code_events(recode=recode, progress=lambda _id: progress.advance(task))
    out.print(f"coded: {report.coded} article(s), {report.events} event mention(s)")
    if report.truncated:
        out.print(f"cut: {report.truncated} article(s) too long: only their start was coded")
    skipped = sum(report.skipped.values())
    note = ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common())
    out.print(f"not coded: {skipped}" + (f" ({note})" if note else ""))
    with _service() as service:
        fused = service.fuse()
    out.print(f"fused: {fused.mentions} mention(s) into {fused.events} event(s)")


# -- feeds


@feeds_app.command("add")
def feeds_add(
    url: str,
    interval: Annotated[
        str | None, typer.Option(help="Polling interval, e.g. 15m, 1h (default: setting).")
    ] = None,
) -> None:
    """Register a feed to poll."""
    with _service() as service:
        feed = service.add_feed(url, interval)
    out.print(f"feed #{feed.id} added: {escape(feed.url)} every {_duration(feed.interval_seconds)}")


@feeds_app.command("list")
def feeds_list() -> None:
    """List registered feeds with their polling state."""
    with _service() as service:
        feeds = service.feeds()
    if not feeds:
        out.print("no feeds registered; add one with: sitrep feeds add URL")
        return
    table = Table("id", "url", "every", "last polled", "status", "stored")
    for feed in feeds:
        polled = feed.last_polled.strftime("%Y-%m-%d %H:%M") if feed.last_polled else "never"
        status = feed.last_status or "-"
        if feed.last_error:
            status += f": {feed.last_error}"
        table.add_row(
            str(feed.id),
            escape(feed.url),
            _duration(feed.interval_seconds),
            polled,
            escape(status),
            str(feed.articles_seen),
        )
    out.print(table)


@feeds_app.command("remove")
def feeds_remove(feed_id: int) -> None:
    """Stop polling a feed (its articles stay in the store)."""
    with _service() as service:
        service.remove_feed(feed_id)
    out.print(f"feed #{feed_id} removed")


@feeds_app.command("poll")
def feeds_poll() -> None:
    """Poll every feed that is due, once."""
    with _service() as service:
        results = service.poll_due()
    for result in results:
        _print_poll(result)
    if not results:
        out.print("no feed is due")
    raise typer.Exit(1 if any(r.error or not r.report.ok for r in results) else 0)


@app.command()
def watch() -> None:
    """Poll all feeds on their intervals until stopped (Ctrl-C stops cleanly)."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        err.print("stopping after the current feed (Ctrl-C again to stop now)")
        stop.set()

    previous = signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        with _service() as service:
            feeds = service.feeds()
            err.print(f"watching {len(feeds)} feed(s); Ctrl-C to stop")
            service.watch(stop, on_poll=_print_poll)
    except KeyboardInterrupt:
        err.print("stopped")
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    err.print("stopped")


def _print_poll(result: PollResult) -> None:
    feed = result.feed
    if result.error:
        out.print(f"feed #{feed.id} {escape(feed.url)}: [red]failed[/] {escape(result.error)}")
    elif result.not_modified:
        out.print(f"feed #{feed.id} {escape(feed.url)}: not modified")
    else:
        counts = Counter(o.status.value for o in result.report.outcomes)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no entries"
        out.print(f"feed #{feed.id} {escape(feed.url)}: {summary}")


# -- reading


@articles_app.command("list")
def articles_list(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    originals: Annotated[bool, typer.Option(help="Hide duplicates.")] = False,
) -> None:
    """List stored articles, newest first."""
    with _service() as service:
        rows = service.articles(limit=limit, offset=offset, include_duplicates=not originals)
    table = Table("id", "published", "site", "lang", "title", "copy of")
    for row in rows:
        a = row.article
        table.add_row(
            str(row.id),
            _date(row),
            escape(a.site or "-"),
            a.language or "-",
            escape(a.title or "(untitled)"),
            _copy_note(row),
        )
    out.print(table)


@articles_app.command("show")
def articles_show(
    article_id: int,
    removed: Annotated[bool, typer.Option(help="Also print the dropped page furniture.")] = False,
) -> None:
    """Show one article: metadata, captions, body, and its copies."""
    with _service() as service:
        row = service.article(article_id)
        copies = service.copies(article_id)
    a = row.article
    out.print(f"[bold]#{row.id} {escape(a.title or '(untitled)')}[/]")
    if a.subtitle:
        out.print(f"[italic]{escape(a.subtitle)}[/]")
    meta = [
        ("site", a.site),
        ("byline", a.byline),
        ("url", a.url),
        ("language", a.language),
        ("published", _date(row)),
        ("source", row.source),
        ("copy of", _copy_note(row)),
    ]
    for key, value in meta:
        if value and value != "-":
            out.print(f"[dim]{key}:[/] {escape(str(value))}")
    for caption in a.captions:
        out.print(f"[italic]caption: {escape(caption)}[/]")
    for paragraph in _body_after_dek(a):
        out.print(f"\n{escape(paragraph)}")
    for copy in copies:
        out.print(f"\n[dim]copy #{copy.id} ({copy.duplicate_kind}) from {escape(copy.source)}[/]")
    if removed:
        out.print("\n[dim]removed:[/]")
        for line in a.removed:
            out.print(f"[dim]- {escape(line)}[/]")


@app.command()
def search(
    query: str,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
) -> None:
    """Full-text search over stored articles, best match first."""
    with _service() as service:
        hits = service.search(query, limit=limit)
    if not hits:
        out.print(f"no article matches {escape(query)!r}")
        raise typer.Exit(0)
    for hit in hits:
        a = hit.article.article
        out.print(
            f"[bold]#{hit.article.id}[/] {escape(a.title or '(untitled)')} "
            f"[dim]{escape(a.site or '')} {_date(hit.article)} score {hit.score:.2f}[/]"
        )
        snippet = escape(hit.snippet).replace(MARK_START, "[bold yellow]").replace(MARK_END, "[/]")
        out.print(f"  {snippet}")


@app.command("issues")
def issues_list() -> None:
    """Inputs whose latest ingest was skipped or failed, with the reason."""
    with _service() as service:
        rows = service.issues()
    if not rows:
        out.print("no skipped or failed inputs")
        return
    table = Table("status", "reason", "source", "detail", "last seen")
    for row in rows:
        table.add_row(
            row.status,
            row.reason,
            escape(row.source),
            escape(row.detail),
            row.last_seen.strftime("%Y-%m-%d %H:%M"),
        )
    out.print(table)


@app.command()
def info() -> None:
    """Print where the store is and what it holds."""
    with _service() as service:
        details = service.info()
        stats = service.stats()
    out.print(f"sitrep {__version__}")
    for key, value in details.items():
        out.print(f"{key}: {escape(value)}")
    out.print(", ".join(f"{n} {key.replace('_', ' ')}" for key, n in stats.items()))


# -- serving


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the store as it is: web pages and the JSON API."""
    _serve(
        Settings.load(
            config_file=_State.config, database_url=_State.database_url, host=host, port=port
        )
    )


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve afterwards.")
    ] = True,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Demo corpus folder (default: demo/ of the checkout).")
    ] = None,
) -> None:
    """Load the bundled demo corpus, run every processing stage, then serve."""
    with _service(host=host, port=port) as service:
        out.print(f"loading the demo corpus into {escape(service.info()['database_url'])}")
        targets = service.demo_targets(corpus) if corpus else service.demo_targets()
        report = _run_ingest(service, targets)
        _print_report(report)
        if not report.ok:
            raise typer.Exit(1)
        coding = service.code_events()
        out.print(f"coded: {coding.coded} article(s), {coding.events} event mention(s)")
        fused = service.fuse()
        out.print(f"fused: {fused.mentions} mention(s) into {fused.events} event(s)")
        cli_users.print_demo_login(service)
        settings = service.settings
    if serve_after:
        _serve(settings)


def _serve(settings: Settings) -> None:
    import uvicorn

    from sitrep.web import create_app

    web_app = create_app(settings)
    out.print(f"serving on http://{settings.host}:{settings.port}/ (Ctrl-C to stop)")
    uvicorn.run(web_app, host=settings.host, port=settings.port, log_level="warning")


# -- output helpers


def _check_format(value: str) -> None:
    if value not in ("json", "text"):
        raise typer.BadParameter("use json or text", param_hint="--format")


def _progress(*counters: ProgressColumn) -> Progress:
    """A progress display on stderr; ``counters`` (default: "3/10") say how far it is."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="dim"),
        BarColumn(),
        *(counters or (MofNCompleteColumn(),)),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _print_report(report: IngestReport) -> None:
    duplicates = Counter(o.reason for o in report.of(Status.DUPLICATE))
    dup_note = ", ".join(f"{n} {reason.replace('-', ' ')}" for reason, n in duplicates.items())
    out.print(f"stored: {report.count(Status.STORED)}")
    out.print(
        f"duplicate: {report.count(Status.DUPLICATE)}" + (f" ({dup_note})" if dup_note else "")
    )
    for status in (Status.SKIPPED, Status.FAILED):
        problems = report.of(status)
        reasons = Counter(o.reason for o in problems)
        note = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        out.print(f"{status.value}: {len(problems)}" + (f" ({note})" if note else ""))
        for outcome in problems[:MAX_LISTED_PROBLEMS]:
            out.print(f"  {escape(outcome.source)}: [{outcome.reason}] {escape(outcome.detail)}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            out.print(f"  … and {len(problems) - MAX_LISTED_PROBLEMS} more (see: sitrep issues)")


def _body_after_dek(article: Article) -> tuple[str, ...]:
    """The paragraphs, without the dek when it leads them (it was printed as the subtitle)."""
    paragraphs = article.paragraphs
    if article.subtitle and paragraphs and paragraphs[0] == article.subtitle:
        return paragraphs[1:]
    return paragraphs


def _short(source: str, width: int = 60) -> str:
    return source if len(source) <= width else "…" + source[-(width - 1) :]


def _date(row: StoredArticle) -> str:
    published = row.article.published
    if not published:
        return "-"
    return published.isoformat()[:10] + ("*" if row.article.published_inferred else "")


def _copy_note(row: StoredArticle) -> str:
    if row.duplicate_of is None:
        return "-"
    return f"#{row.duplicate_of} ({row.duplicate_kind})"


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def main() -> None:
    try:
        app()
    except SitrepError as exc:
        err.print(f"[red]error[/] [{exc.code}] {escape(exc.message)}")
        if exc.hint:
            err.print(f"  hint: {escape(exc.hint)}")
        sys.exit(2)


cli_geo.register(app)
cli_events.register(app)
cli_brief.register(app)
cli_alerts.register(app)

if __name__ == "__main__":
    main()
