"""Context events: ACLED and UCDP GED exports beside an incident's report-based events.

precision (the sources' codes -> the project's location/date precision) -> parse (one CSV row -> one
ContextRow, or a RowProblem naming line and field) -> importer (bulk insert into the store in one
transaction) -> query (filters and aggregation, in SQL where the database can) -> analysis (per week,
per admin area, near a strike) and export (GeoPackage, streamed CSV/GeoJSON).
The column mapping is documented in docs/context-events.md.
"""
