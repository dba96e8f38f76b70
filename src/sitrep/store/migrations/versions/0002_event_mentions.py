"""Event mentions coded from articles, and which articles were coded with what.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_coding",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("coder_version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "event_mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("actor1_id", sa.Text),
        sa.Column("actor2_id", sa.Text),
        sa.Column("event_date", sa.String(10)),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("location_text", sa.Text),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("coder_version", sa.String(64), nullable=False),
        sa.UniqueConstraint("article_id", "ordinal", name="uq_event_mentions_article_ordinal"),
    )
    op.create_index("ix_event_mentions_article", "event_mentions", ["article_id"])
    op.create_index("ix_event_mentions_type", "event_mentions", ["sub_event_type"])
    op.create_index("ix_event_mentions_date", "event_mentions", ["event_date"])


def downgrade() -> None:
    op.drop_table("event_mentions")
    op.drop_table("article_coding")
