"""Alert e-mails end to end: real fused events, a real SMTP server on 127.0.0.1, the
message parsed as received, the unsubscribe link followed with the web app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitrep.service import Service
from sitrep.web.app import create_app

from .conftest import FIRST_REPORT, SECOND_REPORT, Mailbox, alert_settings

IDLIB_SHELLING = "event_type=Explosions/Remote violence&q=Kafr Nabl"


@pytest.fixture
def service(tmp_path: Path, small_gazetteer: Path, mailbox: Mailbox) -> Iterator[Service]:
    with Service(alert_settings(tmp_path, small_gazetteer, mailbox.port)) as svc:
        _add(svc, FIRST_REPORT)
        yield svc


def _add(service: Service, path: Path) -> None:
    service.ingest([str(path)])
    service.code_events()
    service.fuse()


def _subscribe(service: Service, mode: str = "immediate") -> int:
    search = service.save_search("ana", "Kafr Nabl shelling", IDLIB_SHELLING)
    return service.subscribe(search.id, "ana@example.org", mode).id


def test_a_revised_fatality_figure_sends_one_alert_that_says_what_changed(
    service: Service, mailbox: Mailbox
) -> None:
    mailbox.start()
    _subscribe(service)
    assert service.run_alerts().queued == 0  # nothing changed since subscribing
    _add(service, SECOND_REPORT)  # a second outlet: 20 killed where the first said 12
    run = service.run_alerts()
    assert (run.queued, run.sent, run.failed, run.errors) == (1, 1, 0, [])
    assert len(mailbox.envelopes) == 1
    assert mailbox.envelopes[0].rcpt_tos == ["ana@example.org"]
    message = mailbox.messages[0]
    assert message["Subject"] == "[sitrep] Kafr Nabl shelling: alert, 1 change"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "fatalities revised from 12 to 12 (reports: 12 to 20)" in text.get_content()
    assert "fatalities revised from 12 to 12 (reports: 12 to 20)" in html.get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    png = images[0].get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert f"cid:{images[0]['Content-ID'].strip('<>')}" in html.get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith("http://testserver/unsubscribe/") and link in text.get_content()
    assert service.run_alerts().queued == 0  # idempotent: the change is not sent again
    assert len(mailbox.envelopes) == 1

    # The link works without logging in, even with anonymous reading off: it asks first
    # (GET changes nothing), and the POST unsubscribes.
    settings = service.settings.with_(anonymous_read=False)
    with TestClient(create_app(settings, service)) as client:
        page = client.get(link)
        assert page.status_code == 200 and "ana@example.org" in page.text
        assert len(service.subscriptions()) == 1
        one_click = client.post(link, data={"List-Unsubscribe": "One-Click"})
        assert one_click.status_code == 200 and "no more alerts" in one_click.text
        assert service.subscriptions() == []
        assert client.get(link.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    event_id = int(service.events()[0]["id"])
    service.pin_event(event_id, "fatalities", {"value": 15, "range": [12, 20]})
    service.run_alerts()
    assert len(mailbox.envelopes) == 1  # unsubscribed: the next revision sends nothing


def test_a_failed_send_is_retried_with_backoff_and_never_sent_twice(
    service: Service, mailbox: Mailbox
) -> None:
    subscription = _subscribe(service)
    _add(service, SECOND_REPORT)
    now = datetime.now(UTC)
    first = service.run_alerts(now)  # the mail server is down
    assert (first.queued, first.sent, first.failed) == (1, 0, 1)
    assert "E805" in first.errors[0]
    [queued] = service.alert_outbox(subscription)
    assert (queued.status, queued.attempts) == ("pending", 1)
    assert queued.next_attempt == now + timedelta(minutes=1)

    second = service.run_alerts(now + timedelta(seconds=90))  # still down: the wait doubles
    assert second.failed == 1
    [queued] = service.alert_outbox(subscription)
    assert queued.next_attempt == now + timedelta(seconds=90) + timedelta(minutes=2)

    mailbox.start()
    assert service.run_alerts(now + timedelta(minutes=2)).sent == 0  # not due yet
    later = now + timedelta(minutes=4)
    assert service.run_alerts(later).sent == 1
    assert service.run_alerts(later + timedelta(hours=1)).sent == 0
    assert len(mailbox.envelopes) == 1
    [sent] = service.alert_outbox(subscription)
    assert (sent.status, sent.attempts) == ("sent", 3)


def test_a_missed_digest_sends_one_catch_up_not_a_flood(service: Service, mailbox: Mailbox) -> None:
    mailbox.start()
    _subscribe(service, mode="daily")
    _add(service, SECOND_REPORT)
    assert service.run_alerts().queued == 0  # the next digest moment is still ahead
    woke = datetime.now(UTC) + timedelta(days=3, hours=1)  # asleep through three digests
    run = service.run_alerts(woke)
    assert (run.queued, run.sent) == (1, 1)
    assert service.run_alerts(woke).queued == 0
    assert service.run_alerts(woke + timedelta(hours=2)).queued == 0  # same digest moment
    assert len(mailbox.envelopes) == 1
    message = mailbox.messages[0]
    assert message["Subject"] == "[sitrep] Kafr Nabl shelling: daily digest, 1 change"
    body = message.get_body(("plain",))
    assert body is not None and "fatalities revised from 12" in body.get_content()
