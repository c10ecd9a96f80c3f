"""Plotly figure builders: pure functions, DataFrame in, Figure out (tested without a browser).

Dark wall theme, Okabe-Ito colour-blind-safe palette, labels on the marks so that nothing depends on
colour alone or on hovering.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import plotly.graph_objects as go

from core.locale import Locale
from core.rapor import distinct_names
from dashboard import theme
from dashboard.explorer.url import explorer_link


def safe_text(values) -> list[str]:
    """Category labels for plotly, which reads a subset of HTML in text: escape them."""
    return [html.escape(str(v), quote=False) for v in values]


FONT = dict(family="Source Sans Pro, sans-serif", color=theme.TEXT, size=16)


_FONT_SIZE_IN_TEXT = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def _resize_spec(spec: dict, number, text_px) -> None:
    """Walk a plotly figure dict in place: ``number(key, parent, value)`` gives a numeric size its new value
    (or None to keep it), ``text_px(px)`` the new size of a ``font-size:…px`` written into label text. The one
    walker behind ``enlarged`` and ``at_least``."""

    def text(v: str) -> str:
        return _FONT_SIZE_IN_TEXT.sub(lambda m: f"font-size:{text_px(float(m[1])):g}px", v)

    def walk(node, parent: str = "") -> None:
        if isinstance(node, dict):
            for key, v in node.items():
                if isinstance(v, (dict, list)):
                    walk(v, key if isinstance(v, dict) else parent if key == "data" else key)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    changed = number(key, parent, v)
                    if changed is not None:
                        node[key] = changed
                elif isinstance(v, str) and "font-size" in v:
                    node[key] = text(v)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    walk(item, parent)
                elif isinstance(item, str) and "font-size" in item:
                    node[i] = text(item)

    walk(spec)


def enlarged(fig: go.Figure, k: int) -> go.Figure:
    """``fig`` drawn ``k`` times larger: height, margins, every font, marker and line width, and the font sizes
    written into label text. For a 3840x2160 wall whose browser runs at scale 1, where the page's CSS doubles its
    text but plotly's sizes are pixels; at ``k == 1`` the same figure."""
    if k == 1:
        return fig

    def number(key: str, parent: str, v: float) -> float | None:
        grows = (
            (key == "size" and (parent.endswith("font") or parent == "marker"))
            or (key == "width" and parent == "line")
            or parent == "margin"
        )
        return v * k if grows else None

    spec = fig.to_dict()
    _resize_spec(spec, number, lambda px: px * k)
    if "height" in spec.get("layout", {}):
        spec["layout"]["height"] *= k
    return go.Figure(spec, _validate=False)  # the map's shapes hold thousands of points: no re-validation


def at_least(fig: go.Figure, px: float) -> go.Figure:
    """``fig`` with every text at least ``px`` tall: layout, titles, ticks, legends, bar and pie texts,
    annotations, and the font sizes written into label text. The wall's rule (text readable from across the
    room) applied once to any chart; inside texts of pies and bars are kept at their size instead of shrunk to
    fit (``uniformtext``)."""

    def number(key: str, parent: str, v: float) -> float | None:
        return max(v, px) if key == "size" and parent.endswith("font") else None

    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout.setdefault("font", {})["size"] = max(layout["font"].get("size", 12), px)
    for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        layout.setdefault(axis, {}).setdefault("tickfont", {}).setdefault("size", px)
    layout.setdefault("legend", {}).setdefault("font", {}).setdefault("size", px)
    layout["uniformtext"] = {"minsize": px, "mode": "show"}
    _resize_spec(spec, number, lambda size: max(size, px))
    return go.Figure(spec, _validate=False)


def _empty(fig: go.Figure, loc: Locale) -> go.Figure:
    """An empty chart says so in words instead of showing bare axes."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=loc.t("chart.empty"),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=18, color=theme.MUTED),
    )
    return fig


def _base(fig: go.Figure, height: int, title: str | None, loc: Locale) -> go.Figure:
    """The shared frame; ``separators`` make plotly's own numbers (axes, hovers) use the language's marks."""
    fig.update_layout(
        height=height,
        margin=dict(l=8, r=8, t=40 if title else 8, b=8),
        paper_bgcolor=theme.PANEL,
        plot_bgcolor=theme.PANEL,
        font=FONT,
        title=dict(text=title, x=0.01, font=dict(size=20)) if title else None,
        showlegend=False,
        uirevision="wall",
        separators=loc.separators,
    )
    return fig


def category_bar(
    df: pd.DataFrame,
    title: str,
    loc: Locale,
    height: int = 300,
    top: int | None = None,
    value: str = "count",
    links: list[str] | None = None,
    colour: str | None = None,
    text_format=None,
) -> go.Figure:
    """Horizontal bars of ``value`` per ``label`` (frame order, first on top), values written on the bars.

    ``links`` (one per row) go into ``customdata``: a click on a bar opens that link (drill-down).
    """
    d = df.copy()
    d["label"] = d["label"].fillna(loc.t("chart.none"))
    d["_link"] = links if links is not None else [None] * len(d)
    d = d.dropna(subset=[value])
    d = (d.head(top) if top else d).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=d[value],
            y=safe_text(d["label"]),
            orientation="h",
            marker_color=colour or theme.OKABE_ITO[0],
            text=[(text_format or loc.num)(v) for v in d[value]],
            textposition="outside",
            textangle=0,
            textfont=dict(size=16),
            cliponaxis=False,
            customdata=d["_link"],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False, range=[0, max(1, float(d[value].max()) if len(d) else 1) * 1.18])
    fig.update_yaxes(tickfont=dict(size=15), automargin=True)
    if d.empty:
        _empty(fig, loc)
    return _base(fig, max(height, 30 * len(d) + 60) if top is None else height, title, loc)


def sector_bar(
    df: pd.DataFrame, title: str, loc: Locale, height: int = 300, top: int = 8, links: list[str] | None = None
) -> go.Figure:
    """The ``top`` sectors (label, count), biggest on top, counts written on the bars."""
    return category_bar(df, title, loc, height, top=top, links=links)


def channel_donut(df: pd.DataFrame, title: str, loc: Locale, height: int = 300) -> go.Figure:
    """Share of each channel, labelled with name and percentage (no legend to decode)."""
    d = df.copy()
    d["label"] = d["label"].fillna(loc.t("chart.none"))
    total = float(d["count"].sum())
    fig = go.Figure(
        go.Pie(
            labels=safe_text(d["label"]),
            values=d["count"],
            hole=0.5,
            sort=False,
            marker=dict(colors=theme.OKABE_ITO * 2, line=dict(color=theme.PANEL, width=2)),
            # the shares written by Babel ("24,2%"): plotly's own pie percentages ignore layout.separators
            text=[loc.num_short(100 * c / total, 1) + "%" if total else "" for c in d["count"]],
            textinfo="text",
            textposition="inside",
            insidetextorientation="horizontal",
            textfont=dict(size=15),
            hovertemplate="%{label}: %{value}<extra></extra>",
        )
    )
    fig = _base(fig, height, title, loc)
    fig.update_layout(showlegend=True, legend=dict(font=dict(size=13), x=1.0, y=0.5, xanchor="left"))
    if d.empty:
        _empty(fig, loc)
    return fig


def share_bar(
    df: pd.DataFrame, title: str, loc: Locale, height: int = 300, links: list[str] | None = None
) -> go.Figure:
    """Each category's share of the total as horizontal bars, written on the bars ("WhatsApp 41,2%"): read
    from across the room where a donut's small slices cannot hold a label."""
    total = float(df["count"].sum())
    d = df.assign(share=[100 * c / total if total else 0.0 for c in df["count"]])
    fig = category_bar(
        d,
        title,
        loc,
        height,
        top=len(d) or None,
        value="share",
        links=links,
        text_format=lambda v: loc.num_short(v, 1) + "%",
    )
    if len(d):  # room right of the longest bar for its share ("27,9%")
        fig.update_xaxes(range=[0, float(d["share"].max()) * 1.32])
    return fig


# Where each region's label goes (lon, lat, above/below the islands): every label sits over the sea with a
# leader line to its shape, so the five Lombok labels never pile up and Kota Mataram (57 km2) and Kota Bima
# (208 km2), a few pixels wide on the wall, are named as clearly as Sumbawa. Two lines of name, then the figure.
CALLOUT = {
    "5271": (115.80, -8.02, "above"),
    "5208": (116.33, -7.97, "above"),
    "5203": (116.86, -8.02, "above"),
    "5205": (118.05, -7.97, "above"),
    "5272": (118.92, -7.97, "above"),
    "5201": (115.80, -9.22, "below"),
    "5202": (116.33, -9.27, "below"),
    "5207": (116.88, -9.22, "below"),
    "5204": (117.55, -9.27, "below"),
    "5206": (118.62, -9.22, "below"),
}
MAP_LON, MAP_LAT = (115.45, 119.3), (-9.72, -7.55)
MAP_SCALE = [
    "#3E4A89",
    "#31688E",
    "#26828E",
    "#1F9E89",
    "#35B779",
    "#6DCD59",
    "#B4DE2C",
    "#FDE725",
]  # viridis: few .. many


def region_name(label: str) -> str:
    """ "Kab. Lombok Tengah" -> "Lombok<br>Tengah"; "Kota Bima" and "Kab. Bima" keep their kind."""
    name = str(label)
    if name.startswith("Kab. ") and name != "Kab. Bima":
        name = name[5:]
    words = html.escape(name, quote=False).split(" ")
    return "<br>".join([" ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def _rings(geometry: dict) -> tuple[list, list]:
    """The outer rings of a (Multi)Polygon as one lon and one lat list, rings separated by None (plotly draws
    and fills each run between gaps as its own shape)."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lon, lat = [], []
    for poly in polys:
        ring = poly[0]
        lon += [p[0] for p in ring] + [None]
        lat += [p[1] for p in ring] + [None]
    return lon, lat


_OUTLINES: dict[int, list] = {}


def _outlines(shapes: dict) -> list:
    """(feature, (lon, lat)) largest first, so that Kota Mataram and Kota Bima are drawn over the kabupaten
    around them; worked out once per GeoJSON object (``dashboard.geo.region_shapes`` returns the same one)."""
    key = id(shapes)
    if key not in _OUTLINES:
        ordered = sorted(shapes["features"], key=lambda f: -len(str(f["geometry"]["coordinates"])))
        _OUTLINES.clear()
        _OUTLINES[key] = [(f, _rings(f["geometry"])) for f in ordered]
    return _OUTLINES[key]


def map_colour(v: float, peak: float) -> str:
    """The fill of a region: MAP_SCALE (viridis, readable with colour-blindness) from blue (none) to yellow
    (the most), by the square root of the share so that the middle regions stay apart."""
    share = 0.0 if peak <= 0 else min(1.0, max(0.0, float(v) / peak)) ** 0.5
    pos = share * (len(MAP_SCALE) - 1)
    i = min(int(pos), len(MAP_SCALE) - 2)
    f = pos - i
    a, b = MAP_SCALE[i], MAP_SCALE[i + 1]
    rgb = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in rgb)


def region_map(
    regions: pd.DataFrame,
    shapes: dict,
    title: str | None,
    loc: Locale,
    height: int = 300,
    value: str = "count",
    links: list[str] | None = None,
    text_format=None,
    label_size: int = 14,
) -> go.Figure:
    """A choropleth of ``value`` per kabupaten/kota over their real boundaries (``dashboard.geo.region_shapes``),
    each region named with its figure on a callout over the sea, Kota Mataram and Kota Bima included.

    Drawn as filled shapes on plain lon/lat axes (SVG): no base map, no tiles, no file fetched (plotly's geo
    charts fetch a world topojson from the internet even with every base layer off). ``customdata`` of the
    callout dots and of every vertex of a shape holds ``links`` (one per row) when given, else the region code:
    a click on a dot (or a border) drills down, hovering a shape names it."""
    text_format = text_format or loc.num
    d = regions.assign(_link=links if links is not None else regions["key"])
    d = d[d["key"].isin(CALLOUT.keys())].dropna(subset=[value]).copy()
    by_key = {k: (label, v, link) for k, label, v, link in zip(d["key"], d["label"], d[value], d["_link"], strict=True)}
    for f in shapes["features"]:  # a region absent from the counts has none: named too, with 0
        if f["id"] not in by_key and f["id"] in CALLOUT:
            by_key[f["id"]] = (f["properties"]["nama"].replace("Kabupaten ", "Kab. "), 0, None)
    peak = max(float(d[value].max()) if len(d) else 1.0, 1e-9)
    # Traces as plain dicts in a figure that skips plotly's property validation: the ten shapes hold about 3,000
    # points, and validating them point by point cost more than a second per drawing (every 15 s, per wall).
    traces = []
    for f, (lon, lat) in _outlines(shapes):
        key = f["id"]
        label, v, link = by_key.get(key, (f["properties"]["nama"], None, None))
        name = html.escape(str(label), quote=False)
        traces.append(
            dict(
                type="scatter",
                x=lon,
                y=lat,
                mode="lines",
                fill="toself",
                line=dict(color=theme.PANEL, width=1.2),
                fillcolor=theme.GRID if v is None else map_colour(v, peak),
                hoveron="fills",
                text=f"{name}: {html.escape(text_format(v)) if v is not None else '–'}",
                hoverinfo="text",
                customdata=[link] * len(lon) if link is not None else None,
            )
        )
    line_x, line_y, dot_x, dot_y, texts, positions, dot_links = [], [], [], [], [], [], []
    anchors = {f["id"]: f["properties"] for f in shapes["features"]}
    for key, (label, v, link) in by_key.items():
        x, y, side = CALLOUT[key]
        a = anchors.get(key, {})
        line_x += [a.get("label_lon", x), x, None]
        line_y += [a.get("label_lat", y), y, None]
        dot_x.append(x)
        dot_y.append(y)
        dot_links.append(link)
        texts.append(
            f"{region_name(label)}<br><b><span style='font-size:{label_size + 4}px'>"
            f"{html.escape(text_format(v))}</span></b>"
        )
        positions.append("top center" if side == "above" else "bottom center")
    traces.append(
        dict(type="scatter", x=line_x, y=line_y, mode="lines", hoverinfo="skip", line=dict(color=theme.TEXT, width=1.2))
    )
    traces.append(
        dict(
            type="scatter",
            x=dot_x,
            y=dot_y,
            mode="markers+text",
            text=texts,
            textposition=positions,
            cliponaxis=False,
            textfont=dict(size=label_size, color=theme.TEXT),
            customdata=dot_links,
            marker=dict(size=12, color=theme.TEXT, line=dict(color=theme.PANEL, width=2)),
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig = go.Figure(data=traces, _validate=False)
    fig.update_xaxes(visible=False, range=list(MAP_LON), fixedrange=True)
    # 1 degree of latitude is 1/cos(8.5 deg) = 1.011 degrees of longitude at NTB's latitude
    fig.update_yaxes(visible=False, range=list(MAP_LAT), scaleanchor="x", scaleratio=1.011, fixedrange=True)
    fig = _base(fig, height, title, loc)
    if d.empty:
        _empty(fig, loc)
    return fig


def trend_lines(
    df: pd.DataFrame, start: dt.date, end: dt.date, title: str, loc: Locale, height: int = 300, links: bool = False
) -> go.Figure:
    """Daily received vs completed between ``start`` and ``end`` (inclusive), missing days as zero.

    ``links``: each point of the received line carries the explorer link of that day's complaints."""
    days = pd.date_range(start, end, freq="D").strftime("%Y-%m-%d")
    d = (
        df.set_index("period").reindex(days, fill_value=0)
        if len(df)
        else pd.DataFrame({"received": 0, "completed": 0}, index=days)
    )
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(d.index),
            y=d["received"],
            name=loc.t("chart.received"),
            mode="lines",
            line=dict(color=theme.RECEIVED_COLOUR, width=3),
            customdata=[explorer_link(dari=x, sampai=x) for x in d.index] if links else None,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(d.index),
            y=d["completed"],
            name=loc.t("chart.completed"),
            mode="lines",
            line=dict(color=theme.COMPLETED_COLOUR, width=3, dash="dash"),
        )
    )
    fig = _base(fig, height, title, loc)
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom", font=dict(size=14)),
    )
    # day labels in the viewer's language ("8 Nov" / "8 Des"): plotly's date axis knows only English months
    ticks = list(d.index[:: max(1, -(-len(d) // 6))])
    fig.update_xaxes(
        tickfont=dict(size=13),
        gridcolor=theme.GRID,
        tickvals=ticks,
        ticktext=[loc.date(dt.date.fromisoformat(x), "d MMM") for x in ticks],
    )
    fig.update_yaxes(tickfont=dict(size=13), gridcolor=theme.GRID, rangemode="tozero")
    if int(d["received"].sum()) == 0 and int(d["completed"].sum()) == 0:
        _empty(fig, loc)
    return fig


COMPLIANCE_BARS = 25  # OPDs drawn at most in the on-time chart: more bars than this are not read, only scrolled


def compliance_bar(
    rapor: pd.DataFrame, title: str, loc: Locale, height: int = 420, most: int = COMPLIANCE_BARS
) -> go.Figure:
    """Responded-on-time share per OPD, sorted, with the value written on each bar (OPDs with a share). With more
    than ``most`` such OPDs (several hundred nationally) only the ``most`` lowest are drawn, those to act on
    first, and the title says of how many."""
    d = rapor.dropna(subset=["response_on_time_pct"])
    d = d.assign(label=distinct_names(d["opd"].fillna(loc.t("opd.unassigned")), d["opd_code"]))
    d = d.sort_values(["response_on_time_pct", "label"], ascending=[True, False], kind="stable")
    if len(d) > most:
        title = loc.t("kep.chart_title_lowest", title=title, n=most, total=len(d))
        d = d.head(most)
    colours = [
        theme.STATE_COLOUR["met"]
        if v >= 90
        else theme.STATE_COLOUR["at_risk"]
        if v >= 50
        else theme.STATE_COLOUR["breached"]
        for v in d["response_on_time_pct"]
    ]
    fig = go.Figure(
        go.Bar(
            x=d["response_on_time_pct"],
            y=safe_text(d["label"]),
            orientation="h",
            marker_color=colours,
            text=[loc.num(v) + "%" for v in d["response_on_time_pct"]],
            textposition="outside",
            cliponaxis=False,
            customdata=d["opd_id"],
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 110], gridcolor=theme.GRID, ticksuffix="%")
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if d.empty:
        _empty(fig, loc)
    return _base(fig, max(height, 22 * len(d) + 80), title, loc)


def monthly_bars(df: pd.DataFrame, title: str, loc: Locale, height: int = 320) -> go.Figure:
    """Per month for one OPD: completed on time, completed late (stacked) and breached now (line)."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=df["period"],
            y=df["completed_on_time"],
            name=loc.t("chart.on_time"),
            marker_color=theme.STATE_COLOUR["met"],
        )
    )
    fig.add_trace(
        go.Bar(
            x=df["period"], y=df["completed_late"], name=loc.t("chart.late"), marker_color=theme.STATE_COLOUR["late"]
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["period"],
            y=df["breached_now"],
            name=loc.t("chart.breached_now"),
            mode="lines+markers",
            line=dict(color=theme.STATE_COLOUR["breached"], width=3),
        )
    )
    fig = _base(fig, height, title, loc)
    # title and legend each get their own band above the plot (the legend used to cover the title; below the
    # plot it covered the slanted month labels). A month without data is a zero row (queries.scorecard).
    fig.update_layout(
        barmode="stack",
        showlegend=True,
        title=dict(y=1, yref="container", yanchor="top", pad=dict(t=8)),
        legend=dict(orientation="h", x=0, xanchor="left", y=1 - 44 / height, yref="container", yanchor="top"),
        margin=dict(t=80),
    )
    fig.update_yaxes(gridcolor=theme.GRID, rangemode="tozero")
    fig.update_xaxes(type="category")  # "YYYY-MM" labels; as dates, a single month drew a nanosecond axis
    if df.empty:
        _empty(fig, loc)
    return fig


# Below the plot: on a phone a legend beside the title would cover it.
BOTTOM_LEGEND = dict(orientation="h", y=-0.12, x=0, xanchor="left", yanchor="top", font=dict(size=14))


def flow_bars(
    df: pd.DataFrame, title: str, loc: Locale, height: int = 380, links: list[str] | None = None
) -> go.Figure:
    """Per period: received and completed (bars) and the share of that period's complaints completed now
    (line, right axis). ``links`` (one per period) drill into the complaints received in it."""
    fig = go.Figure()
    x = list(df["label"]) if "label" in df.columns else list(df["period"])
    fig.add_trace(
        go.Bar(
            x=x,
            y=df["received"],
            name=loc.t("chart.received"),
            marker_color=theme.RECEIVED_COLOUR,
            customdata=links if links is not None else [None] * len(df),
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=df["completed"],
            name=loc.t("chart.completed"),
            marker_color=theme.COMPLETED_COLOUR,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=df["done_pct"],
            name=loc.t("chart.done_pct"),
            yaxis="y2",
            mode="lines+markers",
            line=dict(color=theme.OKABE_ITO[3], width=3),
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig = _base(fig, height, title, loc)
    fig.update_layout(
        barmode="group",
        showlegend=True,
        legend=BOTTOM_LEGEND,
        yaxis2=dict(
            overlaying="y", side="right", range=[0, 105], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", showgrid=False
        ),
    )
    fig.update_xaxes(type="category", tickfont=dict(size=13))
    fig.update_layout(yaxis=dict(gridcolor=theme.GRID, rangemode="tozero"))
    if df.empty:
        _empty(fig, loc)
    return fig


def yoy_lines(wide: pd.DataFrame, year: int, title: str, loc: Locale, height: int = 340) -> go.Figure:
    """Received per month of ``year`` against the year before (``summary.year_over_year``)."""
    fig = go.Figure()
    months = [loc.month(dt.date(year, m, 1), "LLL") for m in range(1, 13)]
    if "partial" in wide.columns:  # the month in progress: both years counted on the same days only
        months = [
            f"{m}*" if p else m for m, p in zip(months, wide["partial"], strict=False)
        ]  # the page says what * means
    for y, colour, dash in ((year - 1, theme.MUTED, "dash"), (year, theme.RECEIVED_COLOUR, "solid")):
        fig.add_trace(
            go.Scatter(
                x=months,
                y=wide[y],
                name=str(y),
                mode="lines+markers",
                line=dict(color=colour, width=3, dash=dash),
                connectgaps=False,
                hovertemplate=f"{y} %{{x}}: %{{y}}<extra></extra>",
            )
        )
    fig = _base(fig, height, title, loc)
    fig.update_layout(showlegend=True, legend=BOTTOM_LEGEND)
    fig.update_yaxes(gridcolor=theme.GRID, rangemode="tozero")
    if wide[[year - 1, year]].isna().all().all():
        _empty(fig, loc)
    return fig


def on_time_line(df: pd.DataFrame, target_pct: float, title: str, loc: Locale, height: int = 340) -> go.Figure:
    """Share of completions on time per period (``on_time_by_period``) against the target line."""
    fig = go.Figure(
        go.Scatter(
            x=list(df["label"]) if "label" in df.columns else list(df["period"]),
            y=df["on_time_pct"],
            mode="lines+markers+text",
            name=loc.t("chart.on_time_pct"),
            text=[loc.num(v) + "%" if not pd.isna(v) else "" for v in df["on_time_pct"]],
            textposition="top center",
            line=dict(color=theme.STATE_COLOUR["met"], width=3),
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.add_hline(
        y=target_pct,
        line=dict(color=theme.STATE_COLOUR["breached"], width=2, dash="dash"),
        annotation_text=loc.t("chart.target", pct=loc.num_short(target_pct, 1)),
        annotation_position="bottom right",
        annotation_font=dict(color=theme.TEXT, size=14),
    )
    fig = _base(fig, height, title, loc)
    fig.update_xaxes(type="category", tickfont=dict(size=13))
    fig.update_yaxes(range=[0, 105], ticksuffix="%", gridcolor=theme.GRID)
    if df.empty:
        _empty(fig, loc)
    return fig
