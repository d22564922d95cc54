"""The only Streamlit code outside pages/: cached data, widgets, export buttons, links, login."""
