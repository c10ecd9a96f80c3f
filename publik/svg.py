"""Inline SVG for the public page (pure functions, no script): the monthly trend and the map of the 10
kabupaten/kota. Each drawing is an image with a title and a description; the same figures are in a table
beside it, so nothing is only in the drawing."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd

from core.locale import Locale

# the committed boundaries (dashboard/assets/geo/README.md: source, licence, repairs); read as a file, the
# public process imports nothing from dashboard/
KABKOTA_GEOJSON = Path(__file__).resolve().parent.parent / "dashboard" / "assets" / "geo" / "ntb_kabkota.geojson"
# five shades of one blue, light to dark, each with the text colour readable on it
SHADES = ("#deebf7", "#c6dbef", "#9ecae1", "#4292c6", "#08519c")
KOTA = ("5271", "5272")  # Kota Mataram, Kota Bima
LINE_RECEIVED, LINE_COMPLETED = "#08519c", "#b35806"


def _attr(value) -> str:
    return escape(str(value), quote=True)


@lru_cache(maxsize=1)
def _shapes() -> dict:
    return json.loads(KABKOTA_GEOJSON.read_text())


def _projector(width: float, pad: float = 4.0):
    """Longitude/latitude to SVG x/y (equirectangular, scaled by the cosine of NTB's latitude), fitted to
    ``width``; returns (project, height)."""
    xs, ys = [], []
    for f in _shapes()["features"]:
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2))
    scale = (width - 2 * pad) / ((max(xs) - min(xs)) * k)
    height = (max(ys) - min(ys)) * scale + 2 * pad

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (pad + (lon - min(xs)) * k * scale, pad + (max(ys) - lat) * scale)

    return project, height


def _path(geometry, project) -> str:
    parts = []
    for poly in geometry["coordinates"]:
        for ring in poly:
            pts = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def shade_bins(values: list[float]) -> list[float]:
    """Four upper limits splitting ``values`` into five shades (equal steps from 0 to the largest)."""
    top = max([v for v in values if not pd.isna(v)] or [0.0])
    return [top * i / 5 for i in range(1, 5)]


def shade(value, bins: list[float]) -> str:
    if value is None or pd.isna(value):
        return "#ffffff"
    return SHADES[sum(1 for b in bins if value > b)]


def region_map(regions: pd.DataFrame, loc: Locale, title: str, desc: str, width: int = 400) -> str:
    """The 10 kabupaten/kota shaded by complaints per 100,000 inhabitants, each kabupaten labelled with that rate
    (the two kota, Mataram and Bima, are too small on a phone for a label of their own: the table has them)."""
    project, height = _projector(width)
    rate = dict(zip(regions["key"].astype(str), regions["rate"], strict=True))
    bins = shade_bins(list(rate.values()))
    shapes: list[str] = []
    labels: list[str] = []
    placed: list[tuple[float, float]] = []
    for f in _shapes()["features"]:
        code = str(f["properties"]["kode_bps"])
        value = rate.get(code)
        name = regions.loc[regions["key"].astype(str) == code, "label"]
        label = name.iloc[0] if len(name) else f["properties"]["nama"]
        shapes.append(
            f'<path d="{_path(f["geometry"], project)}" fill="{shade(value, bins)}" stroke="#555" '
            f'stroke-width="0.6"><title>{_attr(label)}: {_attr(loc.num(value, 1))}</title></path>'
        )
        if code in KOTA:
            continue
        x, y = project(f["properties"]["label_lon"], f["properties"]["label_lat"])
        while any(abs(x - px) < 30 and abs(y - py) < 14 for px, py in placed):  # neighbours on Lombok: one lower
            y += 14
        placed.append((x, y))
        dark = shade(value, bins) in SHADES[3:]  # white text on the two dark shades, dark text on the light ones
        labels.append(
            f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle" class="mlabel{" dark" if dark else ""}">'
            f"{_attr(loc.num(value, 1))}</text>"
        )
    legend = []
    lo = 0.0
    for i, colour in enumerate(SHADES):
        hi = bins[i] if i < len(bins) else max([v for v in rate.values() if not pd.isna(v)] or [0.0])
        legend.append(
            f'<rect x="{8 + i * 76}" y="{height + 6:.0f}" width="72" height="12" fill="{colour}" stroke="#555" '
            f'stroke-width="0.5"/><text x="{8 + i * 76}" y="{height + 32:.0f}" class="legend">'
            f"{_attr(loc.num(lo, 1))}–{_attr(loc.num(hi, 1))}</text>"
        )
        lo = hi
    total_h = height + 40
    return (
        f'<svg viewBox="0 0 {width} {total_h:.0f}" role="img" aria-labelledby="map-t map-d" class="chart">'
        f'<title id="map-t">{_attr(title)}</title><desc id="map-d">{_attr(desc)}</desc>'
        + "".join(shapes)
        + "".join(labels)
        + "".join(legend)
        + "</svg>"
    )


def nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``raw`` (axis steps people read at once)."""
    power = 10 ** math.floor(math.log10(max(raw, 1)))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def trend_chart(trend: pd.DataFrame, loc: Locale, title: str, desc: str, labels: tuple[str, str]) -> str:
    """Two lines over the months: complaints received and completed (the table beside it holds the numbers)."""
    w, h, left, right, top, bottom = 400, 250, 44, 26, 12, 70
    n = len(trend)
    top_value = max(1, int(trend[["received", "completed"]].to_numpy().max()) if n else 1)
    ymax = 4 * nice_step(top_value / 4)

    def x(i: int) -> float:
        return left + (w - left - right) * (i / max(1, n - 1))

    def y(v: float) -> float:
        return top + (h - top - bottom) * (1 - v / ymax)

    grid = []
    for i in range(5):
        v = ymax * i / 4
        grid.append(
            f'<line x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ccc" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">{_attr(loc.num(v))}</text>'
        )
    ticks = []
    for i, period in enumerate(trend["period"]):
        if n > 6 and (n - 1 - i) % 3:
            continue
        month = pd.Timestamp(period + "-01")
        ticks.append(
            f'<text x="{x(i):.1f}" y="{h - bottom + 18}" text-anchor="middle" class="axis">'
            f"{_attr(loc.month(month.date(), 'LLL yy'))}</text>"
        )
    lines = []
    for col, colour, dash in (
        ("received", LINE_RECEIVED, ""),
        ("completed", LINE_COMPLETED, ' stroke-dasharray="6 4"'),
    ):
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(trend[col]))
        lines.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        lines += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for i, v in enumerate(trend[col])]
    key_y = h - 28
    key = (
        f'<line x1="{left}" x2="{left + 28}" y1="{key_y - 4}" y2="{key_y - 4}" stroke="{LINE_RECEIVED}" '
        f'stroke-width="2.5"/><text x="{left + 34}" y="{key_y}" class="axis">{_attr(labels[0])}</text>'
        f'<line x1="{left}" x2="{left + 28}" y1="{key_y + 14}" y2="{key_y + 14}" stroke="{LINE_COMPLETED}" '
        f'stroke-width="2.5" stroke-dasharray="6 4"/><text x="{left + 34}" y="{key_y + 18}" class="axis">'
        f"{_attr(labels[1])}</text>"
    )
    return (
        f'<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="trend-t trend-d" class="chart">'
        f'<title id="trend-t">{_attr(title)}</title><desc id="trend-d">{_attr(desc)}</desc>'
        + "".join(grid)
        + "".join(ticks)
        + "".join(lines)
        + key
        + "</svg>"
    )
