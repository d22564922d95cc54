"""The floor the dashboard's speed is measured against: a hello-world Streamlit app.

One title, one 10-point Plotly chart, and one sidebar slider (so a "filter
change" can be timed the same way as on the dashboard). Run by
bench/bench_pages.py; never part of the dashboard.
"""
import plotly.graph_objects as go
import streamlit as st

st.title("Hello")
shift = st.sidebar.slider("Shift", 0, 100, 100, key="hello_shift")
xs = list(range(10))
st.plotly_chart(go.Figure(go.Scatter(x=xs, y=[x * x + shift for x in xs])), key="hello_chart")
