"""Logging in and out in a real browser, and a forged form from another site being refused.

A small live server of its own (a store with users, no demo corpus) keeps these tests quick;
chromium and the page fixture come from the browser conftest.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect

from httpserver import LocalServer
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web.app import create_app

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Live:
    url: str
    service: Service


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("login")
    settings = Settings.load(env={}, database_url=f"sqlite:///{folder / 'login.db'}")
    service = Service(settings)
    service.add_user("ana", PASSWORD, "analyst")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(settings, service), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{sock.getsockname()[1]}", service)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        service.close()


def log_in(page: Any, live: Live, password: str = PASSWORD) -> None:
    page.goto(f"{live.url}/login?next=/account")
    page.fill("#login-name", "ana")
    page.fill("#login-password", password)
    page.click("form.login button[type=submit]")


def test_logging_in_and_out_through_the_form(page: Any, live: Live) -> None:
    log_in(page, live)
    expect(page).to_have_url(f"{live.url}/account")
    expect(page.locator("header")).to_contain_text("Log out (ana)")
    (session,) = [c for c in page.context.cookies() if c["name"] == "sitrep_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax" and session["path"] == "/"
    assert page.evaluate("document.cookie") == ""  # no script can read the cookies

    page.click("header form.account button[type=submit]")
    expect(page.locator("header")).to_contain_text("Log in")
    page.goto(f"{live.url}/account")
    expect(page).to_have_url(f"{live.url}/login?next=%2Faccount")
    assert not [p for p in page.problems if "HTTP" not in p], page.problems


def test_a_wrong_password_shows_an_error_on_the_form(page: Any, live: Live) -> None:
    log_in(page, live, password="not the password")
    expect(page.locator("p.error")).to_contain_text("wrong user name or password")
    expect(page.locator("#login-name")).to_have_value("ana")
    assert "sitrep_session" not in {c["name"] for c in page.context.cookies()}


def test_a_forged_form_from_another_site_is_refused(page: Any, live: Live, tmp_path: Path) -> None:
    """The attacker's page is on another port of the same host: the same *site*, so the
    SameSite cookie is sent along, and only the CSRF token stands in the way."""
    forged = (
        f'<form id="f" method="post" action="{live.url}/account/tokens">'
        '<input name="label" value="forged"><input name="csrf_token" value="guessed">'
        '</form><script>document.getElementById("f").submit()</script>'
    )
    (tmp_path / "attack.html").write_text(forged, encoding="utf-8")
    attacker = LocalServer(tmp_path)
    try:
        log_in(page, live)
        expect(page).to_have_url(f"{live.url}/account")
        with page.expect_response(f"{live.url}/account/tokens") as answer:
            page.goto(attacker.url("/attack.html"))
        assert answer.value.status == 403
        expect(page.locator("main")).to_contain_text("E705")
    finally:
        attacker.stop()
    assert live.service.tokens("ana") == []

    page.goto(f"{live.url}/account")  # the real form, with its token, still works
    page.fill("#token-label", "laptop")
    page.click("text=Create a token")
    expect(page.locator("#new-token")).to_contain_text("sitrep_")
    assert [t.label for t in live.service.tokens("ana")] == ["laptop"]
