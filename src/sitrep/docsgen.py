"""Reference docs generated from code: settings, error codes, CLI commands.

`make docs` writes them; a test fails when a file in docs/ is out of date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from sitrep.errors import ERROR_CODES, SKIP_REASONS
from sitrep.settings import SETTINGS

__all__ = ["render_all"]


def render_configuration() -> str:
    lines = [
        "# Configuration",
        "",
        "Generated from `sitrep.settings.SETTINGS` by `make docs`; do not edit by hand.",
        "",
        "Precedence: defaults < TOML file (`--config FILE` or `SITREP_CONFIG`; keys at top",
        "level or under `[sitrep]`) < environment variables < command-line flags.",
        "",
        "| setting | environment | type | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        default = repr(s.default) if s.default != "" else "(empty)"
        lines.append(f"| `{s.name}` | `{s.env}` | {s.type.__name__} | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"


def render_errors() -> str:
    lines = [
        "# Error codes and skip reasons",
        "",
        "Generated from `sitrep.errors` by `make docs`; do not edit by hand. Every failure",
        "sitrep reports carries one of these codes, a message naming the input, and often a hint.",
        "",
        "| code | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{code}` | {text} |" for code, text in ERROR_CODES.items()]
    lines += ["", "## Skip reasons", "", "| reason | meaning |", "| --- | --- |"]
    lines += [f"| `{reason}` | {text} |" for reason, text in SKIP_REASONS.items()]
    return "\n".join(lines) + "\n"


def render_cli() -> str:
    from sitrep.cli import app

    command = typer.main.get_command(app)
    lines = ["# Command-line reference", "", "Generated from `sitrep.cli` by `make docs`.", ""]
    lines += _command_lines(command, ["sitrep"])
    return "\n".join(lines).rstrip() + "\n"


def _command_lines(command: Any, path: list[str]) -> list[str]:
    # Typer ships its own fork of click, so inspect by shape rather than by class.
    lines: list[str] = []
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name in sorted(subcommands):
            lines += _command_lines(subcommands[name], [*path, name])
        return lines
    ctx = command.context_class(command, info_name=" ".join(path))
    lines += [f"## `{' '.join(path)}`", "", (command.help or "").strip(), "", "```"]
    lines += [command.get_usage(ctx)]
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record:
            lines.append(f"  {record[0]:<34} {record[1]}")
    lines += ["```", ""]
    return lines


def render_all() -> dict[str, str]:
    return {
        "configuration.md": render_configuration(),
        "errors.md": render_errors(),
        "cli.md": render_cli(),
    }


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
