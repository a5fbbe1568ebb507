"""An uncorrected place mention's correction is SQL NULL, not the JSON value null.

The column was written with JSON null for "no correction", so `correction IS NOT NULL` matched every mention
and only Python could tell corrected ones apart. From this revision the model writes SQL NULL
(JSON(none_as_null=True)) and the rows already stored are converted; downgrading writes JSON null back, as the
older code did.

Revision ID: 0102
Revises: 0101
"""

from __future__ import annotations

from alembic import op

revision = "0102"
down_revision = "0101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE mentions SET correction = NULL WHERE json_typeof(correction) = 'null'")
    else:
        op.execute("UPDATE mentions SET correction = NULL WHERE correction = 'null'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE mentions SET correction = 'null'::json WHERE correction IS NULL")
    else:
        op.execute("UPDATE mentions SET correction = 'null' WHERE correction IS NULL")
