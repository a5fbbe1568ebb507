"""Context layer (ACLED/UCDP imports): admin area columns on events and an index for the layer's queries.

admin1/admin2 hold the source's admin area names (ACLED admin1/admin2, UCDP adm_1/adm_2) so events and
fatalities per area are a GROUP BY in the database; (incident_id, layer, day_first) serves the date filter
over one incident's context layer, and on PostgreSQL the GiST index on events.location (0001) the
distance queries.

Revision ID: 0101
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0101"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admin1", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("admin2", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index("ix_events_incident_layer_day", ["incident_id", "layer", "day_first"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_incident_layer_day")
        batch_op.drop_column("admin2")
        batch_op.drop_column("admin1")
