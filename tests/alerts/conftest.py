"""Fixtures for saved searches and alerts: a real SMTP server on 127.0.0.1 (aiosmtpd) and
services over real stores holding fused events."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from sitrep.settings import Settings

FUSION = Path(__file__).resolve().parent.parent / "fixtures" / "fusion"
FIRST_REPORT = FUSION / "levant-wire-kafr-nabl.txt"  # 12 killed
SECOND_REPORT = FUSION / "northwest-monitor-kafr-nabl.txt"  # 20 killed


@dataclass
class Mailbox:
    """What the SMTP server received, each message parsed."""

    port: int
    envelopes: list[Any] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(e.content, policy=policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A mail server that is not started yet: tests start it (or first find it down)."""
    box = Mailbox(free_port())
    yield box
    box.stop()


@pytest.fixture(scope="module")
def module_mailbox() -> Iterator[Mailbox]:
    """A mail server for a module's shared service (tests start it)."""
    box = Mailbox(free_port())
    yield box
    box.stop()


def alert_settings(tmp_path: Path, gazetteer: Path, port: int, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": str(tmp_path / "data"),
        "database_url": f"sqlite:///{tmp_path / 'alerts.db'}",
        "gazetteer_path": str(gazetteer),
        "min_words": 10,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "none",
        "smtp_timeout": 5.0,
        "mail_from": "sitrep alerts <alerts@sitrep.example>",
        "public_url": "http://testserver",
    }
    return Settings.load(env={}, **(values | changes))
