"""Initial schema: incidents, reports, mentions, events, facts, claims, briefings, changes.

On PostgreSQL also PostGIS geometry columns (SRID 4326) computed from lat/lon and the uncertainty WKT,
with GiST indexes, so QGIS opens events and mentions as layers.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:27:39.182633
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgis_columns()


def _tables() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("countries", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "briefings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_by", sa.String(length=120), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("export_file", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("briefings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_briefings_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=120), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("layer", sa.String(length=12), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("date_end", sa.String(length=10), nullable=False),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("day_first", sa.Date(), nullable=True),
        sa.Column("day_last", sa.Date(), nullable=True),
        sa.Column("ongoing", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("origin_lat", sa.Float(), nullable=True),
        sa.Column("origin_lon", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.String(length=20), nullable=False),
        sa.Column("uncertainty_wkt", sa.Text(), nullable=False),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("fatalities_qualifier", sa.String(length=40), nullable=False),
        sa.Column("injuries_low", sa.Integer(), nullable=True),
        sa.Column("injuries_high", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("layer IN ('report', 'context')", name="ck_events_layer"),
        sa.CheckConstraint("status IN ('candidate', 'accepted', 'rejected')", name="ck_events_status"),
        sa.CheckConstraint(
            "fatalities_high IS NULL OR fatalities_low IS NULL OR fatalities_low <= fatalities_high",
            name="ck_events_fatalities",
        ),
        sa.CheckConstraint(
            "injuries_high IS NULL OR injuries_low IS NULL OR injuries_low <= injuries_high", name="ck_events_injuries"
        ),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "key", name="uq_events_incident_key"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_day_first"), ["day_first"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("measured_by", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "key", name="uq_facts_incident_key"),
    )
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facts_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("date_method", sa.String(length=20), nullable=False),
        sa.Column("date_note", sa.Text(), nullable=False),
        sa.Column("publisher_note", sa.Text(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "content_hash", name="uq_reports_incident_hash"),
        sa.UniqueConstraint("incident_id", "key", name="uq_reports_incident_key"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("fact_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.CheckConstraint("(event_id IS NULL) <> (fact_id IS NULL)", name="ck_claims_event_or_fact"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_fact_id"), ["fact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_report_id"), ["report_id"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("mention", sa.Text(), nullable=False),
        sa.Column("place_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("country_code", sa.String(length=8), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("correction", sa.JSON(), nullable=True),
        sa.Column("corrected_by", sa.String(length=120), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentions_report_id"), ["report_id"], unique=False)


_GEOMETRY_COLUMNS = (
    # table, column, geometry type, expression over the row's own columns
    (
        "events",
        "location",
        "POINT",
        "CASE WHEN lat IS NULL OR lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END",
    ),
    (
        "events",
        "origin_location",
        "POINT",
        "CASE WHEN origin_lat IS NULL OR origin_lon IS NULL THEN NULL "
        "ELSE ST_SetSRID(ST_MakePoint(origin_lon, origin_lat), 4326) END",
    ),
    (
        "events",
        "uncertainty_area",
        "GEOMETRY",
        "CASE WHEN uncertainty_wkt = '' THEN NULL ELSE ST_GeomFromText(uncertainty_wkt, 4326) END",
    ),
    (
        "mentions",
        "location",
        "POINT",
        "CASE WHEN lat IS NULL OR lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END",
    ),
)


def _postgis_columns() -> None:
    """Geometry columns the database computes from the plain columns, so they can never disagree."""
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for table, column, kind, expression in _GEOMETRY_COLUMNS:
        op.add_column(
            table,
            sa.Column(column, Geometry(kind, srid=4326, spatial_index=False), sa.Computed(expression, persisted=True)),
        )
        op.create_index(f"ix_{table}_{column}", table, [column], postgresql_using="gist")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, _kind, _expression in _GEOMETRY_COLUMNS:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
            op.drop_column(table, column)
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentions_report_id"))

    op.drop_table("mentions")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_report_id"))
        batch_op.drop_index(batch_op.f("ix_claims_incident_id"))
        batch_op.drop_index(batch_op.f("ix_claims_fact_id"))
        batch_op.drop_index(batch_op.f("ix_claims_event_id"))

    op.drop_table("claims")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_incident_id"))

    op.drop_table("reports")
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facts_incident_id"))

    op.drop_table("facts")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.drop_index(batch_op.f("ix_events_incident_id"))
        batch_op.drop_index(batch_op.f("ix_events_day_first"))

    op.drop_table("events")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_incident_id"))
        batch_op.drop_index(batch_op.f("ix_changes_at"))

    op.drop_table("changes")
    with op.batch_alter_table("briefings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefings_incident_id"))

    op.drop_table("briefings")
    op.drop_table("incidents")
