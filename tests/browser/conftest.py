"""Browser tests: Debian's chromium, driven by Playwright, against a live server.

The server is real (uvicorn on 127.0.0.1, a free port) over a real store holding the demo
corpus and the XSS fixture, built once per session. Playwright never downloads a browser:
it starts /usr/bin/chromium, which `make test` installs (scripts/ensure-chromium.sh).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from browser.support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VENDOR, XSS_PAGE, Desk
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web.app import create_app


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if not (VENDOR / "BUILT").exists():
        pytest.fail("the vendored map assets are missing: run `make basemap`")
    folder = tmp_path_factory.mktemp("desk")
    settings = Settings.load(env={}, database_url=f"sqlite:///{folder / 'desk.db'}")
    service = Service(settings)
    service.ingest([*service.demo_targets(), str(XSS_PAGE)])
    service.code_events()
    service.fuse()
    facts = _facts(service)
    server, thread, url = _serve(settings, service)
    try:
        yield Desk(url, *facts)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        service.close()


def _facts(service: Service) -> tuple[int, int, int, str]:
    xss = next(r.id for r in service.articles(limit=500) if "Sarmada" in (r.article.title or ""))
    sourced = [e for e in service.events(limit=500) if e["mentions"] and e.get("actor1")]
    event = max(sourced, key=lambda e: (e["confirmations"], len(e["mentions"])))
    actor = event["actor1"]["actor_id"]
    return xss, event["id"], event["mentions"][0]["article_id"], actor


def _serve(settings: Settings, service: Service) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, service), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records dialogs, CSP violations and script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.problems = []
    tab.on("dialog", lambda d: (tab.problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on(
        "response",
        lambda r: tab.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    tab.on("pageerror", lambda e: tab.problems.append(f"error: {e}"))
    tab.on(
        "console",
        lambda m: (
            tab.problems.append(f"console: {m.text}")
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    yield tab
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
