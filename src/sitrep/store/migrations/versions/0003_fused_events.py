"""Fused events, which mentions they hold, and their append-only history.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fused_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(32), nullable=False, unique=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("first_date", sa.String(10)),
        sa.Column("last_date", sa.String(10)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(8)),
        sa.Column("actor1_id", sa.Text),
        sa.Column("actor2_id", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("disputed", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("confirmations", sa.Integer, nullable=False),
        sa.Column("fatalities", sa.Integer),
        sa.Column("retracted", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("cluster", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_fused_events_dates", "fused_events", ["first_date", "last_date"])
    op.create_index("ix_fused_events_type", "fused_events", ["sub_event_type"])
    op.create_table(
        "event_members",
        sa.Column("mention_id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("fused_events.id"), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("alternatives", sa.JSON, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_event_members_event", "event_members", ["event_id"])
    op.create_table(
        "event_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("fused_events.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_event_history_event_at", "event_history", ["event_id", "at"])


def downgrade() -> None:
    op.drop_table("event_history")
    op.drop_table("event_members")
    op.drop_table("fused_events")
