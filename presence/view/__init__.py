"""The dashboard's pure parts, no Streamlit: URL filters, queries and the best estimate, charts, maps, exports, normalised budgets."""
