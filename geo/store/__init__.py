"""The store: incidents, reports, place mentions, events, claims, facts, briefings and a change log in one
database (SQLAlchemy 2 + Alembic; an SQLite file by default, PostgreSQL + PostGIS by STRIKE_MAP_DATABASE_URL).

engine (where and how to connect, write transactions with retry) -> models (tables) -> migrate (Alembic) ->
repo (the one API that changes rows, with the change log) -> csvio (curated CSV folders in and out), seed
(the curated incidents in data/), load (an incident as the domain's Corpus and EventTable), ingest (report
files into an incident), geopackage (the GeoPackage export).
"""
