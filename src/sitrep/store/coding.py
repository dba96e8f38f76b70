"""Store queries for event coding: which articles are coded, and their event mentions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from sitrep.records import EventMention
from sitrep.store.schema import article_coding, articles, event_mentions

__all__ = ["CodingQueries", "StoredMention"]

StoredMention = dict[str, Any]


class CodingQueries:
    """Mixed into the SQL store; relies on its ``_read`` and ``_write`` transactions."""

    def _read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def articles_to_code(self, coder_version: str, *, recode: bool, limit: int) -> list[int]:
        """Originals (not copies) never coded, or, with ``recode``, coded by another version."""
        coded = select(article_coding.c.article_id)
        if recode:
            coded = coded.where(article_coding.c.coder_version == coder_version)
        query = (
            select(articles.c.id)
            .where(articles.c.duplicate_of.is_(None), articles.c.id.not_in(coded))
            .order_by(articles.c.id)
            .limit(limit)
        )
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def save_coding(
        self,
        article_id: int,
        coder_version: str,
        mentions: Sequence[EventMention],
        *,
        status: str,
        reason: str | None,
        now: datetime,
    ) -> None:
        """Replace an article's mentions and coding record in one transaction."""
        rows = [_mention_row(article_id, i, m, coder_version) for i, m in enumerate(mentions)]
        with self._write() as conn:
            conn.execute(delete(event_mentions).where(event_mentions.c.article_id == article_id))
            conn.execute(delete(article_coding).where(article_coding.c.article_id == article_id))
            if rows:
                conn.execute(insert(event_mentions), rows)
            conn.execute(
                insert(article_coding).values(
                    article_id=article_id,
                    coder_version=coder_version,
                    status=status,
                    reason=reason,
                    mentions=len(rows),
                    coded_at=now,
                )
            )

    def mentions_of(self, article_id: int) -> list[StoredMention]:
        query = (
            select(event_mentions.c.id, event_mentions.c.record, event_mentions.c.coder_version)
            .where(event_mentions.c.article_id == article_id)
            .order_by(event_mentions.c.ordinal)
        )
        with self._read() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def iter_mentions(self, batch: int = 1000) -> Iterator[StoredMention]:
        last = 0
        while True:
            query = (
                select(
                    event_mentions.c.id,
                    event_mentions.c.article_id,
                    event_mentions.c.record,
                    event_mentions.c.coder_version,
                )
                .where(event_mentions.c.id > last)
                .order_by(event_mentions.c.id)
                .limit(batch)
            )
            with self._read() as conn:
                rows = list(conn.execute(query))
            if not rows:
                return
            yield from (_stored(row) for row in rows)
            last = rows[-1].id

    def coding_counts(self) -> dict[str, int]:
        query = select(article_coding.c.status, func.count()).group_by(article_coding.c.status)
        with self._read() as conn:
            counts = {str(status): int(n) for status, n in conn.execute(query)}
            mentions = conn.execute(select(func.count()).select_from(event_mentions)).scalar_one()
        return {
            "coded": counts.get("coded", 0),
            "not_coded": counts.get("skipped", 0),
            "event_mentions": int(mentions),
        }


def _mention_row(article_id: int, ordinal: int, m: EventMention, version: str) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "actor1_id": m.actor1.actor_id if m.actor1 else None,
        "actor2_id": m.actor2.actor_id if m.actor2 else None,
        "event_date": m.date.isoformat() if m.date else None,
        "date_precision": m.date_precision,
        "location_text": m.location.text if m.location else None,
        "modality": m.modality,
        "confidence": m.confidence,
        "evidence_start": m.evidence.start,
        "evidence_end": m.evidence.end,
        "record": m.to_json(),
        "coder_version": version,
    }


def _stored(row: Any) -> StoredMention:
    record = dict(row.record)
    record["id"] = row.id
    record["coder_version"] = row.coder_version
    if hasattr(row, "article_id"):
        record["article_id"] = row.article_id
    return record
