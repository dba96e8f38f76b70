"""Indexes for browsing fused events: a filtered first page reads only index entries.

The map and the API ask for events of a type (or any type) in a window of days and a
box, newest first. With the dates, the box and the retraction flag in the index, the
database walks it backwards from the window's end and reads a record only for the rows
it returns. Confidence order gets its own index.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_DAY_BOX = ["first_date", "last_date", "lat", "lon", "retracted"]


def upgrade() -> None:
    op.create_index("ix_fused_events_type_day_box", "fused_events", ["event_type", *_DAY_BOX])
    op.create_index("ix_fused_events_day_box", "fused_events", _DAY_BOX)
    op.create_index("ix_fused_events_confidence", "fused_events", ["confidence"])


def downgrade() -> None:
    op.drop_index("ix_fused_events_confidence", "fused_events")
    op.drop_index("ix_fused_events_day_box", "fused_events")
    op.drop_index("ix_fused_events_type_day_box", "fused_events")
