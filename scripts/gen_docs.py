"""Regenerate docs/configuration.md, docs/errors.md and docs/cli.md from the code."""

from pathlib import Path

from sitrep.docsgen import write_all

if __name__ == "__main__":
    for path in write_all(Path(__file__).resolve().parent.parent / "docs"):
        print(f"wrote {path}")
