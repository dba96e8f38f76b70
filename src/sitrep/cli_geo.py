"""Geography commands of the CLI: `sitrep geoparse`, and the JSON Lines reader that it
and `sitrep classify` share.

Registered on the main Typer app by :mod:`sitrep.cli`; as thin as the rest of the CLI,
the work is the service's.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from sitrep.errors import InputError


def register(app: typer.Typer) -> None:
    app.command()(geoparse)


def geoparse(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read and write JSON Lines.")] = False,
) -> None:
    """Find and resolve place names: reads {"id", "text", "toponyms"?} lines on stdin."""
    from sitrep.cli import _service  # the CLI module registers this command on import

    if not jsonl:
        raise typer.BadParameter("only --jsonl is supported", param_hint="--jsonl")
    records = read_jsonl_records(sys.stdin.buffer)
    with _service() as service:
        for line in service.geoparse(records):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def read_jsonl_records(stream: Any, name: str = "stdin") -> list[tuple[str, dict[str, Any]]]:
    """(where, record) for each non-blank line; bad bytes or JSON name their line."""
    records = []
    for number, raw in enumerate(stream, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("E108", f"{where}: not UTF-8 ({exc.reason})") from exc
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError("E105", f"{where}: invalid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise InputError("E105", f"{where}: a record must be a JSON object")
        records.append((where, data))
    return records
