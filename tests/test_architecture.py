"""Layering rules that keep the code honest: one writer, thin CLI and web layers."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "sitrep"
WRITES = {
    "add_article",
    "add_feed",
    "update_feed",
    "remove_feed",
    "save_validators",
    "record_issue",
    "clear_issue",
    "save_coding",
    "save_fusion",
    "add_decision",
    "add_user",
    "update_user",
    "remove_user",
    "add_session",
    "remove_session",
    "add_token",
    "remove_token",
    "record_login_failure",
    "clear_login_failures",
    "add_saved_search",
    "remove_saved_search",
    "add_subscription",
    "end_subscription",
    "enqueue_alert",
    "claim_alerts",
    "mark_alert_sent",
    "mark_alert_failed",
}


def _store_calls(path: Path) -> set[str]:
    """Methods called on something named store (``store.x()``, ``self.store.x()``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if "store" in name:
                calls.add(node.func.attr)
    return calls


def test_only_the_service_writes_to_the_store() -> None:
    offenders = {
        str(path.relative_to(SOURCE)): sorted(_store_calls(path) & WRITES)
        for path in SOURCE.rglob("*.py")
        if not path.name.startswith("service") and "store" not in path.relative_to(SOURCE).parts
    }
    assert {name: calls for name, calls in offenders.items() if calls} == {}


def test_cli_and_web_do_not_touch_the_store_directly() -> None:
    for path in [SOURCE / "cli.py", *(SOURCE / "web").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "sitrep.store.sql" not in text and "open_store" not in text, path


def test_modules_stay_small() -> None:
    sizes = {
        str(p.relative_to(SOURCE)): len(p.read_text().splitlines()) for p in SOURCE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 600} == {}
