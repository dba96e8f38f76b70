"""The store's side of saved searches and alerts, on SQLite and PostgreSQL: idempotent
enqueueing (compare-and-set on the window), leases, unsubscribing cancels what is unsent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from sitrep.errors import InputError
from sitrep.service import Service
from sitrep.settings import Settings


@pytest.fixture
def service(database_url: str, tmp_path: object) -> Iterator[Service]:
    settings = Settings.load(env={}, database_url=database_url, data_dir=str(tmp_path))
    with Service(settings) as svc:
        yield svc


def test_searches_subscriptions_and_the_outbox_keep_their_promises(service: Service) -> None:
    search = service.save_search("ana", "  Idlib,   battles ", "event_type=Battles&q=Idlib")
    assert search.name == "Idlib, battles"
    assert [s.id for s in service.saved_searches("ana")] == [search.id]
    assert service.saved_searches("omar") == []
    with pytest.raises(InputError) as not_yours:
        service.delete_search(search.id, owner="omar")
    assert not_yours.value.code == "E802"
    for bad in (("not-an-address", "immediate", 0.0), ("a@b.org", "hourly", 0.0)):
        with pytest.raises(InputError) as refused:
            service.subscribe(search.id, *bad)
        assert refused.value.code == "E803"
    subscription = service.subscribe(search.id, "ana@example.org", "daily", 0.5)
    store = service.store
    start, end = subscription.checked_until, subscription.checked_until + timedelta(days=1)
    now = datetime.now(UTC)
    message = ("ana@example.org", "Subject: hi\n\nhello\n")
    assert store.enqueue_alert(subscription.id, (start, end), "daily:x", message, now)
    # A second scheduler with the same view of the subscription queues nothing.
    assert not store.enqueue_alert(subscription.id, (start, end), "daily:x", message, now)
    assert not store.enqueue_alert(subscription.id, (start, end), "daily:y", message, now)
    [queued] = service.alert_outbox(subscription.id)
    assert (queued.window_key, queued.status) == ("daily:x", "pending")
    assert service.subscriptions()[0].checked_until == end

    leased = store.claim_alerts(now, now + timedelta(minutes=5))
    assert [m.id for m in leased] == [queued.id]
    assert store.claim_alerts(now, now + timedelta(minutes=5)) == []  # leased to the first
    # A sender that crashed holding the lease: once it runs out, the message is taken over.
    assert [m.id for m in store.claim_alerts(now + timedelta(minutes=6), now)] == [queued.id]

    service.unsubscribe(subscription.token)
    service.unsubscribe(subscription.token)  # twice is no error
    assert service.subscriptions() == []
    assert service.alert_outbox(subscription.id)[0].status == "cancelled"
    with pytest.raises(InputError) as unknown:
        service.unsubscribe("no-such-token")
    assert unknown.value.code == "E804"
    service.delete_search(search.id, owner="ana")
    assert service.saved_searches() == [] and service.alert_outbox() == []
