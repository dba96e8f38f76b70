"""Reference docs are generated from code and kept current; codes and exports are consistent."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sitrep
from sitrep.docsgen import render_all
from sitrep.errors import ERROR_CODES, SKIP_REASONS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "sitrep"


def test_generated_docs_are_current() -> None:
    for name, text in render_all().items():
        path = ROOT / "docs" / name
        assert path.is_file(), f"docs/{name} is missing: run make docs"
        assert path.read_text(encoding="utf-8") == text, f"docs/{name} is stale: run make docs"


def test_every_raised_code_is_registered_and_documented() -> None:
    raised = set()
    for path in SOURCE.rglob("*.py"):
        raised |= set(re.findall(r'"(E\d{3})"', path.read_text(encoding="utf-8")))
    assert raised <= set(ERROR_CODES), raised - set(ERROR_CODES)
    errors_doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in ERROR_CODES:
        assert f"`{code}`" in errors_doc
    for reason in SKIP_REASONS:
        assert f"`{reason}`" in errors_doc


def test_every_cli_command_is_documented() -> None:
    import typer

    from sitrep.cli import app

    def commands(group: Any, prefix: str = "") -> list[str]:
        found = []
        for name, command in group.commands.items():
            if hasattr(command, "commands"):  # a command group
                found += commands(command, f"{prefix}{name} ")
            else:
                found.append(f"{prefix}{name}")
        return found

    every = commands(typer.main.get_command(app))
    assert {"ingest", "brief", "users add", "searches add", "alerts run"} <= set(every)
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in every:
        assert f"## `sitrep {command}`" in cli_doc, command


def test_public_api() -> None:
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None, name
    assert sitrep.Service.__name__ == "Service"


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:4] if line.startswith("make")]
    assert commands == ["make demo", "make test"]
