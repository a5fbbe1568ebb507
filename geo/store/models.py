"""The store's tables as SQLAlchemy 2 declarative models (the migrations in geo/store/migrations create them).

Both backends hold the same columns; coordinates are plain lat/lon columns everywhere. On PostgreSQL the
migrations add PostGIS geometry columns computed from them (events.location, events.uncertainty_area;
SRID 4326) so QGIS can open the tables directly; the ORM does not map those (the database keeps them).
CSV values are kept as given (dates as 'YYYY-MM' or 'YYYY-MM-DD' text, with the first and last day beside
them for queries), so an import followed by an export gives the same files back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

#: `date` is also an Event column's name; inside that class the type is spelled Day
Day = date
EVENT_STATUSES: tuple[str, ...] = ("candidate", "accepted", "rejected")
EVENT_LAYERS: tuple[str, ...] = ("report", "context")


class UTCDateTime(TypeDecorator[datetime]):
    """A time in UTC, aware on the way out on every backend (SQLite keeps no zone: it stores UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    #: ISO 3166-1 alpha-2 codes, comma-separated, in the order given ("IR,PK")
    countries: Mapped[str] = mapped_column(String(200), default="")
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120), default="")
    #: bookkeeping that is not the analysts' data: the seed files' stamp, problems found on import
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)

    reports: Mapped[list[Report]] = relationship(back_populates="incident", order_by="Report.position")

    @property
    def country_codes(self) -> tuple[str, ...]:
        return tuple(c for c in self.countries.split(",") if c)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("incident_id", "content_hash", name="uq_reports_incident_hash"),
        UniqueConstraint("incident_id", "key", name="uq_reports_incident_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    #: the report's id in the analysts' words: the file stem ("004_debe0072827b60f6")
    key: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    #: sha256 of the UTF-8 text: the same report added twice is recognised by it
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[date | None] = mapped_column(Date)
    #: how the publication date was found: dateline | inferred | unknown
    date_method: Mapped[str] = mapped_column(String(20), default="unknown")
    date_note: Mapped[str] = mapped_column(Text, default="")
    publisher_note: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(String(120), default="")

    incident: Mapped[Incident] = relationship(back_populates="reports")
    mentions: Mapped[list[Mention]] = relationship(back_populates="report", order_by="Mention.start",
                                                   cascade="all, delete-orphan")


class Mention(Base):
    """A place named in a report, as the geoparser resolved it, and the analyst's correction if any."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    mention: Mapped[str] = mapped_column(Text)
    place_id: Mapped[str] = mapped_column(String(80), default="")
    name: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40), default="")
    country_code: Mapped[str] = mapped_column(String(8), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    #: the analyst's choice when the geoparser was wrong: {"place_id", "name", "kind", "country_code", "lat", "lon"}
    #: or {"not_a_place": true}; SQL NULL when uncorrected (migration 0102), so SQL can filter corrected mentions
    correction: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    corrected_by: Mapped[str] = mapped_column(String(120), default="")
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    report: Mapped[Report] = relationship(back_populates="mentions")


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("incident_id", "key", name="uq_events_incident_key"),
        CheckConstraint("status IN ('candidate', 'accepted', 'rejected')", name="ck_events_status"),
        CheckConstraint("layer IN ('report', 'context')", name="ck_events_layer"),
        CheckConstraint("fatalities_high IS NULL OR fatalities_low IS NULL OR fatalities_low <= fatalities_high",
                        name="ck_events_fatalities"),
        CheckConstraint("injuries_high IS NULL OR injuries_low IS NULL OR injuries_low <= injuries_high",
                        name="ck_events_injuries"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="candidate", index=True)
    layer: Mapped[str] = mapped_column(String(12), default="report")
    #: as written: 'YYYY-MM-DD' (day) or 'YYYY-MM' (month)
    date: Mapped[str] = mapped_column(String(10), default="")
    date_end: Mapped[str] = mapped_column(String(10), default="")
    date_precision: Mapped[str] = mapped_column(String(10), default="")
    #: first and last day the date (and date_end) cover, for filtering in SQL
    day_first: Mapped[Day | None] = mapped_column(Date, index=True)
    day_last: Mapped[Day | None] = mapped_column(Date)
    ongoing: Mapped[bool] = mapped_column(default=False)
    actor: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    event_type: Mapped[str] = mapped_column(String(60), default="")
    place: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    #: the source's admin area names (context layer: ACLED admin1/admin2, UCDP adm_1/adm_2; migration 0101)
    admin1: Mapped[str] = mapped_column(Text, default="", server_default="")
    admin2: Mapped[str] = mapped_column(Text, default="", server_default="")
    origin: Mapped[str] = mapped_column(Text, default="")
    origin_lat: Mapped[float | None] = mapped_column(Float)
    origin_lon: Mapped[float | None] = mapped_column(Float)
    #: exact | town | near town | district | province | country | region | sea
    geo_precision: Mapped[str] = mapped_column(String(20), default="")
    #: where the event may be, as WKT in EPSG:4326 (an admin polygon or a circle); empty if a point will do
    uncertainty_wkt: Mapped[str] = mapped_column(Text, default="")
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    #: NULL with a low bound = open ("over 80")
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    fatalities_qualifier: Mapped[str] = mapped_column(String(40), default="")
    injuries_low: Mapped[int | None] = mapped_column(Integer)
    injuries_high: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float | None] = mapped_column(Float)
    #: why a candidate was proposed, or why it was rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    #: CSV columns this schema does not name yet, kept as given so nothing is lost on export
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: optimistic locking: every edit increments it; an edit made against an older version is refused
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(120), default="")


class Fact(Base):
    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("incident_id", "key", name="uq_facts_incident_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(60), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    measured_by: Mapped[str] = mapped_column(String(80), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Claim(Base):
    """One report's statement about one field of an event or a fact, with its verbatim quote and where it is."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("(event_id IS NULL) <> (fact_id IS NULL)", name="ck_claims_event_or_fact"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    #: character offsets of the quote in its report's text (None if it does not occur verbatim)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    event: Mapped[Event | None] = relationship()
    fact: Mapped[Fact | None] = relationship()
    report: Mapped[Report] = relationship()


class Briefing(Base):
    """A briefing marked as given: when, by whom, with which filter and export."""

    __tablename__ = "briefings"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    given_by: Mapped[str] = mapped_column(String(120), default="")
    filter: Mapped[dict[str, Any]] = mapped_column(default=dict)
    export_file: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Change(Base):
    """The change log: one row per row changed, written in the same transaction as the change."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    who: Mapped[str] = mapped_column(String(120), default="")
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    #: insert | update | delete | status | merge | split | import
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
