"""A covering index for the context layer's map queries.

The Context page counts the filtered context events per grid cell on every filter change and view, and
reads the points in the view above zoom 8. With only (incident_id, layer, day_first) indexed, SQLite found the
rows by that index and then read each whole row from the table (an ACLED row carries ~350 bytes of source
fields in `extra`): 0.24-0.28 s per count at 100,000 events. This index holds every column those queries and
the weekly counts read (the filters: incident, layer, status, type, dates; the coordinates and the low
fatality bound), so they are answered from the index alone: 0.07-0.15 s at
100,000 events, for ~16 MB more on disk and ~0.6 s more per 100,000 rows imported.

Revision ID: 0103
Revises: 0102
"""

from __future__ import annotations

from alembic import op

revision = "0103"
down_revision = "0102"
branch_labels = None
depends_on = None

INDEX = "ix_events_context_cover"
#: admin1 (free text from the source) is left out: the map's queries do not read it, and on PostgreSQL an index
#: entry over ~2.7 KB fails its insert. event_type, also text, is ACLED's and UCDP's short fixed vocabulary.
COLUMNS = ["incident_id", "layer", "status", "event_type", "day_first", "day_last", "lat", "lon", "fatalities_low"]


def upgrade() -> None:
    op.create_index(INDEX, "events", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="events")
