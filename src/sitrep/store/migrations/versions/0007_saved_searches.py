"""Saved searches, alert subscriptions and the alert outbox.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("feed_token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.UniqueConstraint("owner", "name", name="uq_saved_searches_owner_name"),
    )
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("search_id", sa.Integer, sa.ForeignKey("saved_searches.id"), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("min_confidence", sa.Float, nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("checked_until", _WHEN, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("ended_at", _WHEN),
    )
    op.create_index("ix_alert_subscriptions_search", "alert_subscriptions", ["search_id"])
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("alert_subscriptions.id"),
            nullable=False,
        ),
        sa.Column("window_key", sa.String(80), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt", _WHEN, nullable=False),
        sa.Column("claimed_until", _WHEN),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("sent_at", _WHEN),
        sa.UniqueConstraint("subscription_id", "window_key", name="uq_alert_outbox_window"),
    )
    op.create_index("ix_alert_outbox_due", "alert_outbox", ["status", "next_attempt"])


def downgrade() -> None:
    op.drop_table("alert_outbox")
    op.drop_table("alert_subscriptions")
    op.drop_table("saved_searches")
