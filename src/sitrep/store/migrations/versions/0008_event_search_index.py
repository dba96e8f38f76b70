"""Event pages that stop after a page: one-day dates, indexes in page order, map summaries.

An event has one day (fusion writes it as both ``first_date`` and ``last_date``), so a
window of days bounds ``first_date`` on both sides. Older stores may hold events with a
span of days; they take their first day, the day fusion reads back for them. The new
indexes hold the filter columns in the order of a page (newest first, then highest id),
so a filtered first page reads index entries until it has a page, and rows only for the
events it returns. ``summary`` holds what a map shows of each event, as JSON text, so
the GeoJSON is written without decoding each (big) record.

Revision ID: 0008
Revises: 0007
"""

import json

import sqlalchemy as sa
from alembic import op

from sitrep.store.event_json import summary_text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BATCH = 2000
_OLD = {
    "ix_fused_events_type_day_box": [
        "event_type",
        "first_date",
        "last_date",
        "lat",
        "lon",
        "retracted",
    ],
    "ix_fused_events_day_box": ["first_date", "last_date", "lat", "lon", "retracted"],
}
_events = sa.table(
    "fused_events",
    sa.column("id", sa.Integer),
    sa.column("first_date", sa.String),
    sa.column("last_date", sa.String),
    sa.column("record", sa.JSON),
    sa.column("summary", sa.Text),
)


def upgrade() -> None:
    op.add_column("fused_events", sa.Column("summary", sa.Text))
    op.execute(
        _events.update()
        .where(_events.c.last_date != _events.c.first_date)
        .values(last_date=_events.c.first_date)
    )
    _fill_summaries()
    for name in _OLD:
        op.drop_index(name, "fused_events")
    postgres = op.get_bind().dialect.name == "postgresql"
    # PostgreSQL sorts a page NULLS LAST, which a plain index read backwards does not give.
    newest = (
        [sa.text("first_date DESC NULLS LAST"), sa.text("id DESC")]
        if postgres
        else [
            "first_date",
            "id",
        ]
    )
    op.create_index(
        "ix_fused_events_type_page",
        "fused_events",
        ["event_type", "retracted", *newest, "lon", "lat"],
    )
    op.create_index("ix_fused_events_page", "fused_events", ["retracted", *newest, "lon", "lat"])
    if not postgres:
        op.execute("ANALYZE fused_events")  # the planner's statistics for the new indexes


def downgrade() -> None:
    op.drop_index("ix_fused_events_page", "fused_events")
    op.drop_index("ix_fused_events_type_page", "fused_events")
    for name, columns in _OLD.items():
        op.create_index(name, "fused_events", columns)
    with op.batch_alter_table("fused_events") as batch:
        batch.drop_column("summary")


def _fill_summaries() -> None:
    """Every event's map summary, a batch at a time (memory stays bounded)."""
    conn = op.get_bind()
    text = sa.cast(_events.c.record, sa.Text)
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_events.c.id, text)
            .where(_events.c.id > last)
            .order_by(_events.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        conn.execute(
            _events.update().where(_events.c.id == sa.bindparam("event_id")),
            [{"event_id": i, "summary": summary_text(json.loads(r))} for i, r in rows],
        )
        last = rows[-1][0]
