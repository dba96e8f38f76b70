"""Store queries for saved searches, alert subscriptions, the alert outbox, and the event
history between two moments (what alerts report)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from sitrep.errors import InputError
from sitrep.store.schema import (
    alert_outbox,
    alert_subscriptions,
    event_history,
    fused_events,
    saved_searches,
)

__all__ = [
    "EventState",
    "OutboxMessage",
    "SavedSearch",
    "SearchQueries",
    "Subscription",
]


@dataclass(frozen=True)
class SavedSearch:
    id: int
    owner: str
    name: str
    query: str  # the events list's query string
    feed_token: str
    created_at: datetime


@dataclass(frozen=True)
class Subscription:
    id: int
    search_id: int
    email: str
    mode: str  # immediate | daily | weekly
    min_confidence: float
    token: str
    checked_until: datetime
    created_at: datetime
    ended_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    subscription_id: int
    window_key: str
    recipient: str
    message: str
    status: str  # pending | sent | cancelled
    attempts: int
    next_attempt: datetime
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class EventState:
    """An event as one history entry left it: its record and how it got there."""

    action: str
    cause: str
    record: dict[str, Any]
    at: datetime


class SearchQueries:
    """Mixed into the SQL store; relies on its ``_read`` and ``_write`` transactions."""

    def _read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    # -- saved searches

    def add_saved_search(
        self, owner: str, name: str, query: str, feed_token: str, now: datetime
    ) -> SavedSearch:
        row = {"owner": owner, "name": name, "query": query, "feed_token": feed_token}
        try:
            with self._write() as conn:
                inserted = insert(saved_searches).values(row | {"created_at": now})
                search_id = conn.execute(inserted.returning(saved_searches.c.id)).scalar_one()
        except IntegrityError as exc:
            raise InputError(
                "E807", f"{owner} already has a saved search named {name!r}", "pick another name"
            ) from exc
        return SavedSearch(int(search_id), owner, name, query, feed_token, now)

    def get_saved_search(self, search_id: int) -> SavedSearch | None:
        query = select(saved_searches).where(saved_searches.c.id == search_id)
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _saved_search(row._mapping)

    def list_saved_searches(self, owner: str | None = None) -> list[SavedSearch]:
        query = select(saved_searches).order_by(saved_searches.c.id)
        if owner is not None:
            query = query.where(saved_searches.c.owner == owner)
        with self._read() as conn:
            return [_saved_search(row._mapping) for row in conn.execute(query)]

    def remove_saved_search(self, search_id: int) -> None:
        """The search, its subscriptions and their outbox, in one transaction."""
        subscriptions = select(alert_subscriptions.c.id).where(
            alert_subscriptions.c.search_id == search_id
        )
        with self._write() as conn:
            conn.execute(
                delete(alert_outbox).where(alert_outbox.c.subscription_id.in_(subscriptions))
            )
            conn.execute(
                delete(alert_subscriptions).where(alert_subscriptions.c.search_id == search_id)
            )
            conn.execute(delete(saved_searches).where(saved_searches.c.id == search_id))

    # -- subscriptions

    def add_subscription(
        self,
        search_id: int,
        email: str,
        mode: str,
        min_confidence: float,
        token: str,
        now: datetime,
    ) -> Subscription:
        row = {
            "search_id": search_id,
            "email": email,
            "mode": mode,
            "min_confidence": min_confidence,
            "token": token,
            "checked_until": now,
            "created_at": now,
        }
        with self._write() as conn:
            inserted = insert(alert_subscriptions).values(row)
            new_id = conn.execute(inserted.returning(alert_subscriptions.c.id)).scalar_one()
        return Subscription(int(new_id), search_id, email, mode, min_confidence, token, now, now)

    def list_subscriptions(
        self, search_id: int | None = None, *, active: bool = True
    ) -> list[Subscription]:
        query = select(alert_subscriptions).order_by(alert_subscriptions.c.id)
        if search_id is not None:
            query = query.where(alert_subscriptions.c.search_id == search_id)
        if active:
            query = query.where(alert_subscriptions.c.ended_at.is_(None))
        with self._read() as conn:
            return [_subscription(row._mapping) for row in conn.execute(query)]

    def subscription_by_token(self, token: str) -> Subscription | None:
        query = select(alert_subscriptions).where(alert_subscriptions.c.token == token)
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _subscription(row._mapping)

    def end_subscription(self, subscription_id: int, now: datetime) -> None:
        """Unsubscribe; messages not yet sent are cancelled with it."""
        with self._write() as conn:
            conn.execute(
                update(alert_subscriptions)
                .where(
                    alert_subscriptions.c.id == subscription_id,
                    alert_subscriptions.c.ended_at.is_(None),
                )
                .values(ended_at=now)
            )
            conn.execute(
                update(alert_outbox)
                .where(
                    alert_outbox.c.subscription_id == subscription_id,
                    alert_outbox.c.status == "pending",
                )
                .values(status="cancelled")
            )

    # -- the outbox

    def enqueue_alert(
        self,
        subscription_id: int,
        checked: tuple[datetime, datetime],
        window_key: str,
        message: tuple[str, str] | None,
        now: datetime,
    ) -> bool:
        """Move the subscription's ``checked_until`` from ``checked[0]`` to ``checked[1]``
        and queue ``message`` (recipient, text) for that window, in one transaction.

        False (and nothing written) when another run moved it first or already queued the
        window: the compare-and-set and the unique window key make enqueueing idempotent.
        """
        subs = alert_subscriptions.c
        try:
            with self._write() as conn:
                moved = conn.execute(
                    update(alert_subscriptions)
                    .where(
                        subs.id == subscription_id,
                        subs.checked_until == checked[0],
                        subs.ended_at.is_(None),
                    )
                    .values(checked_until=checked[1])
                )
                if moved.rowcount != 1:  # nothing was written: another run got there first
                    return False
                if message is not None:
                    conn.execute(
                        insert(alert_outbox).values(
                            _outbox_row(subscription_id, window_key, message, now)
                        )
                    )
        except IntegrityError:
            return False
        return True

    def claim_alerts(
        self, now: datetime, lease_until: datetime, limit: int = 50
    ) -> list[OutboxMessage]:
        """Pending messages due by ``now``, each leased to this caller until ``lease_until``
        so that a second sender running at the same time leaves them alone."""
        box = alert_outbox.c
        free = or_(box.claimed_until.is_(None), box.claimed_until < now)
        due = (
            select(box.id)
            .where(box.status == "pending", box.next_attempt <= now, free)
            .order_by(box.next_attempt, box.id)
            .limit(limit)
        )
        claimed: list[int] = []
        with self._write() as conn:
            for outbox_id in list(conn.execute(due).scalars()):
                taken = conn.execute(
                    update(alert_outbox)
                    .where(box.id == outbox_id, box.status == "pending", free)
                    .values(claimed_until=lease_until)
                )
                if taken.rowcount == 1:
                    claimed.append(int(outbox_id))
        return self._outbox_rows(box.id.in_(claimed)) if claimed else []

    def mark_alert_sent(self, outbox_id: int, now: datetime) -> None:
        values = {"status": "sent", "sent_at": now, "claimed_until": None, "last_error": None}
        self._update_outbox(outbox_id, values)

    def mark_alert_failed(self, outbox_id: int, error: str, next_attempt: datetime) -> None:
        values = {"next_attempt": next_attempt, "claimed_until": None, "last_error": error}
        self._update_outbox(outbox_id, values)

    def _update_outbox(self, outbox_id: int, values: dict[str, Any]) -> None:
        box = alert_outbox.c
        with self._write() as conn:
            conn.execute(
                update(alert_outbox)
                .where(box.id == outbox_id)
                .values({"attempts": box.attempts + 1, **values})
            )

    def outbox(self, subscription_id: int | None = None) -> list[OutboxMessage]:
        box = alert_outbox.c
        condition = (
            box.id.is_not(None)
            if subscription_id is None
            else box.subscription_id == subscription_id
        )
        return self._outbox_rows(condition)

    def next_alert_attempt(self) -> datetime | None:
        """When the earliest pending message is due (for a scheduler's sleep)."""
        query = select(func.min(alert_outbox.c.next_attempt)).where(
            alert_outbox.c.status == "pending"
        )
        with self._read() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else _utc(found)

    def _outbox_rows(self, condition: Any) -> list[OutboxMessage]:
        query = select(alert_outbox).where(condition).order_by(alert_outbox.c.id)
        with self._read() as conn:
            return [_outbox(row._mapping) for row in conn.execute(query)]

    # -- what changed

    def history_between(
        self, since: datetime, until: datetime
    ) -> dict[int, tuple[EventState | None, EventState]]:
        """Each event that changed in (since, until]: its state at ``since`` (None if it did
        not exist yet) and at ``until``."""
        h = event_history.c
        touched = select(h.event_id).where(h.at > since, h.at <= until).distinct()
        with self._read() as conn:
            before = _states_at(conn, touched, since)
            after = _states_at(conn, touched, until)
        return {event_id: (before.get(event_id), state) for event_id, state in after.items()}

    def event_times(self, event_ids: Sequence[int]) -> dict[int, tuple[datetime, datetime]]:
        """When each event was created and last updated."""
        e = fused_events.c
        query = select(e.id, e.created_at, e.updated_at).where(e.id.in_(list(event_ids)))
        with self._read() as conn:
            return {
                int(row.id): (_utc(row.created_at), _utc(row.updated_at))
                for row in conn.execute(query)
            }


def _states_at(conn: Connection, event_ids: Any, moment: datetime) -> dict[int, EventState]:
    h = event_history.c
    latest = (
        select(h.event_id, func.max(h.id).label("last"))
        .where(h.at <= moment, h.event_id.in_(event_ids))
        .group_by(h.event_id)
        .subquery()
    )
    query = select(h.event_id, h.action, h.cause, h.record, h.at).join(
        latest, latest.c.last == h.id
    )
    return {
        int(row.event_id): EventState(row.action, row.cause, dict(row.record), _utc(row.at))
        for row in conn.execute(query)
    }


def _outbox_row(
    subscription_id: int, window_key: str, message: tuple[str, str], now: datetime
) -> dict[str, Any]:
    recipient, text = message
    return {
        "subscription_id": subscription_id,
        "window_key": window_key,
        "recipient": recipient,
        "message": text,
        "status": "pending",
        "attempts": 0,
        "next_attempt": now,
        "created_at": now,
    }


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _saved_search(row: Any) -> SavedSearch:
    return SavedSearch(
        int(row["id"]),
        row["owner"],
        row["name"],
        row["query"],
        row["feed_token"],
        _utc(row["created_at"]),
    )


def _subscription(row: Any) -> Subscription:
    ended = row["ended_at"]
    return Subscription(
        int(row["id"]),
        int(row["search_id"]),
        row["email"],
        row["mode"],
        float(row["min_confidence"]),
        row["token"],
        _utc(row["checked_until"]),
        _utc(row["created_at"]),
        None if ended is None else _utc(ended),
    )


def _outbox(row: Any) -> OutboxMessage:
    sent = row["sent_at"]
    return OutboxMessage(
        int(row["id"]),
        int(row["subscription_id"]),
        row["window_key"],
        row["recipient"],
        row["message"],
        row["status"],
        int(row["attempts"]),
        _utc(row["next_attempt"]),
        row["last_error"],
        None if sent is None else _utc(sent),
    )
