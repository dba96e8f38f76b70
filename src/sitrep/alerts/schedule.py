"""When a subscription is due, and how long a failed send waits before the next try.

Windows. A subscription keeps ``checked_until``: every change up to then has been queued
(or there was none). An immediate subscription is due whenever time has passed since; a
daily (weekly: Monday) one when a digest moment, ``digest_hour`` UTC, has passed since.
Its window runs from ``checked_until`` to the latest such moment, so a machine that slept
through three digest moments sends one catch-up digest covering the whole gap, not three.

Delivery: at least once, made as near exactly once as SMTP allows.
- Enqueueing is exactly once: the window's message is written in the same transaction
  that moves ``checked_until`` (compare-and-set), and the outbox is unique on
  (subscription, window key). Two schedulers running at once queue a window only once.
- Sending is at least once. A sender leases a message, sends it, then marks it sent. A
  failure before the server accepts it (refused, down, timed out) leaves it pending with a
  doubling wait, never dropped. A crash in the instant between the server's "250 OK" and
  the mark leaves it pending too; when the lease runs out it is sent again. We prefer that
  rare duplicate to a lost alert, and make it harmless: the retry is the same stored
  message, with the same Message-ID, which mail systems use to fold duplicates.
  Exactly once would need the mail server to take part in our transaction; SMTP has no
  such thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["FIRST_RETRY", "LEASE", "MODES", "Window", "due_window", "last_digest", "retry_delay"]

MODES = ("immediate", "daily", "weekly")
FIRST_RETRY = timedelta(minutes=1)
# How long a sender owns a message: longer than an SMTP exchange can take, so that only a
# crashed sender's messages are taken over.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Window:
    """The stretch of time one message covers, and its idempotency key."""

    start: datetime
    end: datetime
    key: str

    @property
    def digest(self) -> bool:
        return not self.key.startswith("immediate:")


def due_window(mode: str, checked_until: datetime, now: datetime, hour: int) -> Window | None:
    """The window a subscription should report on now, or None if it is not due."""
    if mode == "immediate":
        if now <= checked_until:
            return None
        return Window(checked_until, now, f"immediate:{checked_until.isoformat()}")
    moment = last_digest(mode, now, hour)
    if moment <= checked_until:
        return None
    return Window(checked_until, moment, f"{mode}:{moment.date().isoformat()}")


def last_digest(mode: str, now: datetime, hour: int) -> datetime:
    """The latest digest moment at or before ``now``: ``hour`` o'clock (UTC) of the day,
    and for weekly digests of the Monday."""
    if mode not in ("daily", "weekly"):
        raise ValueError(f"no digests in mode {mode!r}")
    moment = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment > now:
        moment -= timedelta(days=1)
    if mode == "weekly":
        moment -= timedelta(days=moment.weekday())
    return moment


def retry_delay(attempts: int, longest: timedelta) -> timedelta:
    """The wait after the ``attempts``-th failed try: one minute, doubling, at most ``longest``."""
    doubled = FIRST_RETRY * (1 << min(max(attempts - 1, 0), 30))
    return min(doubled, longest)
