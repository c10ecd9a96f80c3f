"""Plotly figure builders: pure functions, DataFrame in, Figure out (tested without a browser).

Dark wall theme, Okabe-Ito colour-blind-safe palette, labels on the marks so that nothing depends on
colour alone or on hovering.
"""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.i18n import t

def safe_text(values) -> list[str]:
    """Category labels for plotly, which reads a subset of HTML in text: escape them."""
    return [html.escape(str(v), quote=False) for v in values]


FONT = dict(family="Source Sans Pro, sans-serif", color=theme.TEXT, size=16)


def _empty(fig: go.Figure, lang: str) -> go.Figure:
    """An empty chart says so in words instead of showing bare axes."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=t("chart.empty", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=18, color=theme.MUTED))
    return fig


def _base(fig: go.Figure, height: int, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=8, r=8, t=40 if title else 8, b=8),
        paper_bgcolor=theme.PANEL, plot_bgcolor=theme.PANEL, font=FONT,
        title=dict(text=title, x=0.01, font=dict(size=20)) if title else None,
        showlegend=False, uirevision="wall",
    )
    return fig


def sector_bar(df: pd.DataFrame, title: str, lang: str, height: int = 300, top: int = 8) -> go.Figure:
    """Horizontal bars of the ``top`` sectors (label, count), biggest on top, counts written on the bars."""
    d = df.copy()
    d["label"] = d["label"].fillna(t("chart.none", lang))
    d = d.head(top).iloc[::-1]
    fig = go.Figure(go.Bar(
        x=d["count"], y=safe_text(d["label"]), orientation="h", marker_color=theme.OKABE_ITO[0],
        text=d["count"], textposition="outside", textangle=0, textfont=dict(size=16), cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_xaxes(visible=False, range=[0, max(1, float(d["count"].max()) if len(d) else 1) * 1.15])
    fig.update_yaxes(tickfont=dict(size=15), automargin=True)
    if d.empty:
        _empty(fig, lang)
    return _base(fig, height, title)


def channel_donut(df: pd.DataFrame, title: str, lang: str, height: int = 300) -> go.Figure:
    """Share of each channel, labelled with name and percentage (no legend to decode)."""
    d = df.copy()
    d["label"] = d["label"].fillna(t("chart.none", lang))
    fig = go.Figure(go.Pie(
        labels=safe_text(d["label"]), values=d["count"], hole=0.5, sort=False,
        marker=dict(colors=theme.OKABE_ITO * 2, line=dict(color=theme.PANEL, width=2)),
        textinfo="percent", textposition="inside", insidetextorientation="horizontal",
        textfont=dict(size=15), hovertemplate="%{label}: %{value}<extra></extra>"))
    fig = _base(fig, height, title)
    fig.update_layout(showlegend=True, legend=dict(font=dict(size=13), x=1.0, y=0.5, xanchor="left"))
    if d.empty:
        _empty(fig, lang)
    return fig


# Where each region's label goes, so the five Lombok labels do not pile up on each other.
LABEL_POSITION = {"5271": "top left", "5201": "bottom left", "5202": "bottom center", "5203": "middle right",
                  "5208": "top center", "5207": "bottom center", "5204": "top center", "5205": "bottom left",
                  "5206": "bottom right", "5272": "top right"}


def region_map(regions: pd.DataFrame, backdrop: pd.DataFrame, title: str, lang: str, height: int = 300,
               value_label: str | None = None) -> go.Figure:
    """Bubbles at the 10 kabupaten/kota capitals sized by ``count``, over kecamatan dots that sketch
    Lombok and Sumbawa. Plain lon/lat axes: no web map tiles, nothing fetched."""
    d = regions.dropna(subset=["lat", "lon"]).copy()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=backdrop["lon"], y=backdrop["lat"], mode="markers", hoverinfo="skip",
                             marker=dict(size=7, color=theme.GRID)))
    peak = max(float(d["count"].max()) if len(d) else 1.0, 1.0)
    fig.add_trace(go.Scatter(
        x=d["lon"], y=d["lat"], mode="markers+text",
        text=[f"{name}<br><b>{c}</b>" for name, c in zip(safe_text(d["label"].str.replace("Kab. ", "", regex=False)),
                                                        d["count"])],
        textposition=[LABEL_POSITION.get(k, "top center") for k in d["key"]], textfont=dict(size=13, color=theme.TEXT),
        marker=dict(size=[12 + 34 * (c / peak) ** 0.5 for c in d["count"]], color=theme.OKABE_ITO[1],
                    opacity=0.85, line=dict(color=theme.TEXT, width=1)),
        customdata=d["key"], hovertemplate="%{text}<extra></extra>", cliponaxis=False))
    fig.update_xaxes(visible=False, range=[114.9, 119.6])
    fig.update_yaxes(visible=False, range=[-9.15, -8.0], scaleanchor="x", scaleratio=1)
    return _base(fig, height, title)


def trend_lines(df: pd.DataFrame, start: dt.date, end: dt.date, title: str, lang: str,
                height: int = 300) -> go.Figure:
    """Daily received vs completed between ``start`` and ``end`` (inclusive), missing days as zero."""
    days = pd.date_range(start, end, freq="D").strftime("%Y-%m-%d")
    d = df.set_index("period").reindex(days, fill_value=0) if len(df) else pd.DataFrame(
        {"received": 0, "completed": 0}, index=days)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(d.index), y=d["received"], name=t("chart.received", lang), mode="lines",
                             line=dict(color=theme.RECEIVED_COLOUR, width=3)))
    fig.add_trace(go.Scatter(x=list(d.index), y=d["completed"], name=t("chart.completed", lang), mode="lines",
                             line=dict(color=theme.COMPLETED_COLOUR, width=3, dash="dash")))
    fig = _base(fig, height, title)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom",
                                                   font=dict(size=14)))
    fig.update_xaxes(tickfont=dict(size=13), gridcolor=theme.GRID, nticks=6)
    fig.update_yaxes(tickfont=dict(size=13), gridcolor=theme.GRID, rangemode="tozero")
    if int(d["received"].sum()) == 0 and int(d["completed"].sum()) == 0:
        _empty(fig, lang)
    return fig


def compliance_bar(rapor: pd.DataFrame, title: str, lang: str, height: int = 420) -> go.Figure:
    """Responded-on-time share per OPD, sorted, with the value written on each bar (OPDs with dispatches)."""
    d = rapor.dropna(subset=["response_on_time_pct"]).sort_values("response_on_time_pct", ascending=True)
    d = d.assign(label=d["opd"].fillna(t("opd.unassigned", lang)))
    colours = [theme.STATE_COLOUR["met"] if v >= 90 else theme.STATE_COLOUR["at_risk"] if v >= 50
               else theme.STATE_COLOUR["breached"] for v in d["response_on_time_pct"]]
    fig = go.Figure(go.Bar(x=d["response_on_time_pct"], y=safe_text(d["label"]), orientation="h",
                           marker_color=colours, text=[f"{v:.0f}%" for v in d["response_on_time_pct"]],
                           textposition="outside", cliponaxis=False, customdata=d["opd_id"],
                           hovertemplate="%{y}: %{x:.1f}%<extra></extra>"))
    fig.update_xaxes(range=[0, 110], gridcolor=theme.GRID, ticksuffix="%")
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if d.empty:
        _empty(fig, lang)
    return _base(fig, max(height, 22 * len(d) + 80), title)


def monthly_bars(df: pd.DataFrame, title: str, lang: str, height: int = 320) -> go.Figure:
    """Per month for one OPD: completed on time, completed late (stacked) and breached now (line)."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=df["period"], y=df["completed_on_time"], name=t("chart.on_time", lang),
                         marker_color=theme.STATE_COLOUR["met"]))
    fig.add_trace(go.Bar(x=df["period"], y=df["completed_late"], name=t("chart.late", lang),
                         marker_color=theme.STATE_COLOUR["late"]))
    fig.add_trace(go.Scatter(x=df["period"], y=df["breached_now"], name=t("chart.breached_now", lang),
                             mode="lines+markers", line=dict(color=theme.STATE_COLOUR["breached"], width=3)))
    fig = _base(fig, height, title)
    fig.update_layout(barmode="stack", showlegend=True,
                      legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    fig.update_yaxes(gridcolor=theme.GRID, rangemode="tozero")
    fig.update_xaxes(type="category")  # "YYYY-MM" labels; as dates, a single month drew a nanosecond axis
    if df.empty:
        _empty(fig, lang)
    return fig
