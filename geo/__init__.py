"""Strike map domain package: articles, boundaries, gazetteer, events, exports (no Streamlit)."""
