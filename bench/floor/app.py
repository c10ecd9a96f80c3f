"""The smallest Streamlit pages that draw what the monitor's pages draw, with no database: the floor under every
page's first load on this machine (bench/floor/__main__.py). ``?charts=N`` plotly bar charts, ``?grid=1`` a data
grid of 20 rows, ``?metrics=N`` bordered metrics, ``?vega=N`` Streamlit's own bar charts (Vega-Lite) instead of
plotly's, for comparison."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

params = st.query_params
charts = int(params.get("charts", "0"))
st.title("Floor")
cols = st.columns(max(1, int(params.get("metrics", "0"))))
for i in range(int(params.get("metrics", "0"))):
    cols[i].metric(f"Figure {i}", 100 + i, border=True)
for i in range(charts):
    fig = go.Figure(go.Bar(x=[f"OPD {k}" for k in range(8)], y=[(k * 7 + i) % 11 + 1 for k in range(8)]))
    fig.update_layout(height=300, title=f"Chart {i}")
    st.plotly_chart(fig, key=f"chart-{i}")
for i in range(int(params.get("vega", "0"))):
    st.bar_chart(
        pd.DataFrame({"opd": [f"OPD {k}" for k in range(8)], "n": [(k * 7 + i) % 11 + 1 for k in range(8)]}),
        x="opd",
        y="n",
        height=300,
    )
if params.get("grid") == "1":
    st.dataframe(pd.DataFrame({"opd": [f"OPD {k}" for k in range(20)], "late": range(20)}), key="grid")
