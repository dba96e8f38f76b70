"""The service's saved searches, feeds and alerts.

A part of :class:`sitrep.service.Service` (mixed into it), kept in its own module so that
each stays small; like the rest of the service, it is the only writer of what it keeps.
When messages go out and what happens on failure is told in :mod:`sitrep.alerts.schedule`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sitrep.alerts import feeds, mail, schedule
from sitrep.alerts.changes import Change, what_changed
from sitrep.alerts.query import event_filter, parse_query
from sitrep.errors import InputError, SitrepError
from sitrep.service_base import ServiceMixin
from sitrep.settings import parse_duration
from sitrep.store.searches import OutboxMessage, SavedSearch, Subscription

__all__ = ["AlertRun", "AlertsService", "SavedSearch", "Subscription"]

FEED_SIZE = 50  # events in a feed, newest first
MAX_NAME = 200
# Enough to catch a typo, not a full RFC 5322 parser: the mail server has the last word.
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass
class AlertRun:
    """What one ``run_alerts`` did."""

    queued: int = 0  # messages queued for new windows
    sent: int = 0
    failed: int = 0  # sends that failed this time (each will be retried)
    errors: list[str] = field(default_factory=list)


class AlertsService(ServiceMixin):
    # -- saved searches

    def save_search(self, owner: str, name: str, query: str) -> SavedSearch:
        """Save a filter (the events list's query string) under a name of the owner's."""
        name = " ".join(name.split())
        if not 0 < len(name) <= MAX_NAME:
            raise InputError("E803", f"search name {name!r} must have 1 to {MAX_NAME} characters")
        parsed = parse_query(query)
        if parsed.actor:
            self.actor_family([parsed.actor])  # E110 now, not at every alert run
        canonical = parsed.query()
        token = secrets.token_urlsafe(24)
        return self.store.add_saved_search(owner, name, canonical, token, _now())

    def saved_searches(self, owner: str | None = None) -> list[SavedSearch]:
        return self.store.list_saved_searches(owner)

    def saved_search(self, search_id: int, owner: str | None = None) -> SavedSearch:
        """The search of that id; E802 if there is none, or it is not ``owner``'s."""
        found = self.store.get_saved_search(search_id)
        if found is None or (owner is not None and found.owner != owner):
            raise InputError(
                "E802", f"no saved search {search_id}" + (f" of {owner}" if owner else "")
            )
        return found

    def delete_search(self, search_id: int, owner: str | None = None) -> None:
        self.saved_search(search_id, owner)
        self.store.remove_saved_search(search_id)

    def search_events(self, search: SavedSearch, limit: int = FEED_SIZE) -> list[dict[str, Any]]:
        return self.store.list_events(event_filter(search.query, self.actor_family), limit)

    def search_feed(self, search_id: int, fmt: str) -> tuple[str, str]:
        """The search's feed as (media type, text), ``fmt`` atom or json."""
        if fmt not in ("atom", "json"):
            raise InputError("E808", f"feed format {fmt!r} is not atom or json")
        search = self.saved_search(search_id)
        events = self.search_events(search)
        times = self.store.event_times([int(e["id"]) for e in events])
        entries = [feeds.FeedEntry(e, *times[int(e["id"])]) for e in events if e["id"] in times]
        info = self._feed_info(search, fmt)
        if fmt == "atom":
            return feeds.ATOM_TYPE, feeds.atom_feed(info, entries)
        return feeds.JSON_FEED_TYPE, feeds.json_feed(info, entries)

    def feed_url(self, search: SavedSearch, fmt: str, with_token: bool = True) -> str:
        url = f"{self.settings.site_url}/feeds/searches/{search.id}.{fmt}"
        return f"{url}?token={search.feed_token}" if with_token else url

    def _feed_info(self, search: SavedSearch, fmt: str) -> feeds.FeedInfo:
        site = self.settings.site_url
        return feeds.FeedInfo(
            search_id=search.id,
            title=f"sitrep: {search.name}",
            created=search.created_at,
            site_url=site,
            self_url=self.feed_url(search, fmt, with_token=False),
            page_url=f"{site}/events" + (f"?{search.query}" if search.query else ""),
        )

    # -- subscriptions

    def subscribe(
        self,
        search_id: int,
        email: str,
        mode: str = "immediate",
        min_confidence: float = 0.0,
        owner: str | None = None,
    ) -> Subscription:
        """Alerts for a search by e-mail: at once (``immediate``) or as a digest."""
        search = self.saved_search(search_id, owner)
        email = email.strip()
        if not _EMAIL.match(email) or len(email) > 320:
            raise InputError("E803", f"{email!r} is not an e-mail address")
        if mode not in schedule.MODES:
            raise InputError(
                "E803", f"alert mode {mode!r} is not one of {', '.join(schedule.MODES)}"
            )
        if not 0.0 <= min_confidence <= 1.0:
            raise InputError("E803", f"confidence threshold {min_confidence} is not in [0, 1]")
        token = secrets.token_urlsafe(24)
        return self.store.add_subscription(search.id, email, mode, min_confidence, token, _now())

    def subscriptions(self, search_id: int | None = None) -> list[Subscription]:
        return self.store.list_subscriptions(search_id)

    def subscription_for_token(self, token: str) -> tuple[Subscription, SavedSearch]:
        found = self.store.subscription_by_token(token) if token else None
        if found is None:
            raise InputError("E804", "this unsubscribe link is not valid (or was mistyped)")
        return found, self.saved_search(found.search_id)

    def unsubscribe(self, token: str) -> Subscription:
        """End the subscription the token belongs to (again: no harm, no error)."""
        subscription, _ = self.subscription_for_token(token)
        if subscription.active:
            self.store.end_subscription(subscription.id, _now())
        return self.store.subscription_by_token(token) or subscription

    def alert_outbox(self, subscription_id: int | None = None) -> list[OutboxMessage]:
        return self.store.outbox(subscription_id)

    # -- the scheduler

    def run_alerts(self, now: datetime | None = None) -> AlertRun:
        """Queue what is due (new windows of every subscription), then send what is queued
        and due, retrying earlier failures whose wait is over. Safe to run at any time, as
        often as wanted, and by two processes at once."""
        now = (now or _now()).astimezone(UTC)
        run = AlertRun()
        searches = {s.id: s for s in self.store.list_saved_searches()}
        for subscription in self.store.list_subscriptions():
            run.queued += self._queue_window(subscription, searches[subscription.search_id], now)
        for message in self.store.claim_alerts(now, now + schedule.LEASE):
            self._deliver(message, now, run)
        return run

    def _queue_window(self, subscription: Subscription, search: SavedSearch, now: datetime) -> int:
        hour = self.settings.digest_hour
        window = schedule.due_window(subscription.mode, subscription.checked_until, now, hour)
        if window is None:
            return 0
        history = self.store.history_between(window.start, window.end)
        changes = what_changed(
            history, event_filter(search.query, self.actor_family), subscription.min_confidence
        )
        message = self._message(subscription, search, window, changes, now) if changes else None
        checked = (subscription.checked_until, window.end)
        queued = self.store.enqueue_alert(subscription.id, checked, window.key, message, now)
        return int(queued and message is not None)

    def _message(
        self,
        subscription: Subscription,
        search: SavedSearch,
        window: schedule.Window,
        changes: list[Change],
        now: datetime,
    ) -> tuple[str, str]:
        site = self.settings.site_url
        alert = mail.AlertMail(
            search_name=search.name,
            changes=changes,
            digest=subscription.mode if window.digest else None,
            search_url=f"{site}/events" + (f"?{search.query}" if search.query else ""),
            event_url=f"{site}/events/{{id}}",
            unsubscribe_url=f"{site}/unsubscribe/{subscription.token}",
        )
        message = mail.compose(
            alert,
            sender=self.settings.mail_from or f"sitrep@{_host(site)}",
            recipient=subscription.email,
            message_id=_message_id(subscription, window, site),
            now=now,
        )
        return subscription.email, message.as_string()

    def _deliver(self, message: OutboxMessage, now: datetime, run: AlertRun) -> None:
        try:
            mail.send(self.settings, message.recipient, message.message)
        except SitrepError as exc:
            longest = timedelta(seconds=parse_duration(self.settings.alert_retry_max))
            wait = schedule.retry_delay(message.attempts + 1, longest)
            self.store.mark_alert_failed(message.id, str(exc), now + wait)
            run.failed += 1
            run.errors.append(str(exc))
            return
        self.store.mark_alert_sent(message.id, _now())
        run.sent += 1

    def next_alert_due(self) -> datetime | None:
        """When the earliest queued message may next be tried (None: nothing queued)."""
        return self.store.next_alert_attempt()


def _message_id(subscription: Subscription, window: schedule.Window, site: str) -> str:
    """The same for every try of one window's message, so duplicates can be folded."""
    digest = hashlib.sha256(f"{subscription.id}:{window.key}".encode()).hexdigest()[:24]
    return f"<alert-{subscription.id}-{digest}@{_host(site)}>"


def _host(site: str) -> str:
    return urlsplit(site).hostname or "localhost"


def _now() -> datetime:
    return datetime.now(UTC)
