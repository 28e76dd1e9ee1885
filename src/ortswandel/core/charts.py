"""Accessible charts as server-rendered SVG: line (with uncertainty bands), bars, population
pyramid and choropleth map — each with a text alternative and the same data as a table.

Why SVG from the server and not a JavaScript chart library: the page stays small (a chart is a
few kilobytes of markup; a full Plotly bundle alone is several megabytes), nothing is loaded from
another host, the chart is there before and without any script, it prints and goes into a PDF
as it is, and screen readers get ``role="img"`` with ``<title>``/``<desc>`` plus a real data
table. ``static/ortswandel/js/charts.js`` only *enhances* it (keyboard-focusable points with a
tooltip); nothing depends on it.

Every function returns a :class:`Chart`: ``chart.svg`` (safe markup, responsive through its
``viewBox``), ``chart.legend`` and ``chart.table``. Render all three with the include
``core/_chart.html`` (``{% include "core/_chart.html" with chart=… %}``), or the table alone with
``core/_chart_table.html``. Distinctions never rest on colour alone: lines differ by dash pattern
and marker, bars by fill pattern, map classes by labelled legend entries and each area's
tooltip; all series colours have at least 3:1 contrast against white. Numbers are formatted for
the active language (German: ``12.345,6``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

#: Series colours (contrast on white: 6.9, 5.6, 5.5, 8.6, 7.4, 8.0 : 1).
PALETTE = ("#1f5fa8", "#b3401a", "#2e7d32", "#6a3d9a", "#4a5560", "#0b5563")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
#: Fill patterns of bar series (index 0 solid).
PATTERNS = ("", "hatch", "dots", "cross", "hatch-back", "")
#: Sequential (light → dark blue) and diverging (red: decline … blue: growth) map colours.
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
NO_DATA = "#ffffff"

WIDTH = 480
FONT = 13


# ----------------------------------------------------------------------------- formatting


def number(value: float | None, decimals: int = 0) -> str:
    """``value`` for the active language with grouping (German ``12.345,6``); ``–`` if None.

    Same result as ``formats.number_format(…, force_grouping=True)`` with groups of three,
    several times faster (a chart formats a few hundred numbers)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{rounded:,.{decimals}f}"
    decimal_sep = str(formats.get_format("DECIMAL_SEPARATOR"))
    thousand_sep = str(formats.get_format("THOUSAND_SEPARATOR"))
    text = text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousand_sep)
    return text.replace("-", "−")


def percent(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    text = number(value, decimals)
    if signed and value > 0 and text.strip("0,.") != "":
        text = "+" + text
    return f"{text} %"


def _safe(markup: str) -> SafeString:
    """Markup built here from escaped text and numbers only."""
    return mark_safe(markup)  # noqa: S308 - every text inside went through _attr/escape


def _attr(value: object) -> str:
    return escape(str(value))


def _f(value: float) -> str:
    """A coordinate: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 × 10ⁿ steps) covering ``low``–``high``."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _decimals_for(ticks: Sequence[float]) -> int:
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    return 0 if step >= 1 else min(3, max(0, -math.floor(math.log10(step))))


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    kind: str = "line"  # line | band | bar | area
    dash: str = ""
    marker: str = ""
    pattern: str = ""
    opacity: float = 1.0

    @property
    def swatch(self) -> SafeString:
        """A small inline SVG showing this entry's colour *and* pattern/dash."""
        if self.kind == "line":
            body = (
                f'<line x1="1" y1="7" x2="27" y2="7" stroke="{self.color}" stroke-width="2.5"'
                + (f' stroke-dasharray="{self.dash}"' if self.dash else "")
                + "/>"
                + _marker(self.marker, 14, 7, self.color)
            )
        else:
            fill = self.color
            extra = ""
            if self.pattern:
                extra = _pattern_overlay(self.pattern, 0, 0, 28, 14)
            body = (
                f'<rect x="0.5" y="0.5" width="27" height="13" fill="{fill}"'
                f' fill-opacity="{self.opacity}" stroke="#4a5560"/>' + extra
            )
        return _safe(
            '<svg class="chart-swatch" width="28" height="14" viewBox="0 0 28 14"'
            f' aria-hidden="true" focusable="false">{body}</svg>'
        )


@dataclass(frozen=True)
class TableData:
    """The chart's data as a table: ``columns`` (first = header of the row labels) and rows
    of ``(row label, formatted cells)``."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    note: str = ""

    @property
    def body_columns(self) -> list[str]:
        return self.columns[1:]

    @functools.cached_property
    def html(self) -> SafeString:
        """The table as accessible HTML (what ``core/_chart_table.html`` shows): a labelled,
        focusable scroll region, caption, column and row headers. Built in Python — a chart
        table has up to a few hundred cells, and the template loop would cost more than the
        chart."""
        region = _("Tabelle: %(caption)s") % {"caption": self.caption}
        head = "".join(f'<th scope="col">{_attr(c)}</th>' for c in self.columns)
        body = "".join(
            f'<tr><th scope="row">{_attr(label)}</th>'
            + "".join(f'<td class="num">{_attr(cell)}</td>' for cell in cells)
            + "</tr>"
            for label, cells in self.rows
        )
        note = f'<p class="chart-note">{_attr(self.note)}</p>' if self.note else ""
        return _safe(
            f'<div class="table-scroll chart-table" role="region" aria-label="{_attr(region)}"'
            f' tabindex="0"><table><caption>{_attr(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
        )


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: TableData
    legend: list[LegendItem] = field(default_factory=list)
    source: str = ""
    #: Long tables are shown folded (``<details>``) by the include.
    table_open: bool = True

    def __html__(self) -> SafeString:
        return self.svg

    def __str__(self) -> str:
        return str(self.svg)


def chart_id(kind: str, title: str) -> str:
    return f"ch-{kind}-{hashlib.sha1(title.encode()).hexdigest()[:8]}"  # noqa: S324 - an id


def _open_svg(cid: str, title: str, description: str, height: float, extra_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ow-chart {extra_class}" id="{cid}"'
        f' viewBox="0 0 {WIDTH} {_f(height)}" width="100%" role="img"'
        f' aria-labelledby="{cid}-t {cid}-d" preserveAspectRatio="xMidYMid meet"'
        f' font-size="{FONT}" font-family="system-ui, sans-serif">'
        f'<title id="{cid}-t">{_attr(title)}</title><desc id="{cid}-d">{_attr(description)}</desc>'
    )


def _marker(  # noqa: PLR0917
    kind: str, x: float, y: float, color: str, extra: str = "", title: str = ""
) -> str:
    """A point marker (circle, square, triangle, diamond) with an optional tooltip title."""
    if kind == "square":
        tag = "rect"
        attrs = f'x="{_f(x - 3.5)}" y="{_f(y - 3.5)}" width="7" height="7"'
    elif kind == "triangle":
        tag = "path"
        attrs = f'd="M{_f(x)} {_f(y - 4.5)}L{_f(x + 4.5)} {_f(y + 3.5)}H{_f(x - 4.5)}Z"'
    elif kind == "diamond":
        tag = "path"
        attrs = (
            f'd="M{_f(x)} {_f(y - 5)}L{_f(x + 5)} {_f(y)}L{_f(x)} {_f(y + 5)}L{_f(x - 5)} {_f(y)}Z"'
        )
    elif kind == "circle":
        tag = "circle"
        attrs = f'cx="{_f(x)}" cy="{_f(y)}" r="3.5"'
    else:
        return ""
    if title:
        return f'<{tag} {attrs} fill="{color}"{extra}><title>{_attr(title)}</title></{tag}>'
    return f'<{tag} {attrs} fill="{color}"{extra}/>'


def _pattern_overlay(pattern: str, x: float, y: float, w: float, h: float) -> str:
    """White strokes over a filled rectangle (hatching, dots, cross) — inline, so that it
    needs no ``<defs>`` id and works inside any SVG."""
    if w <= 0 or h <= 0:
        return ""
    parts = []
    step = 6.0
    if pattern in ("hatch", "cross"):
        k = -h
        while k < w:
            parts.append(f"M{_f(x + k)} {_f(y + h)}l{_f(h)} {_f(-h)}")
            k += step
    if pattern in ("hatch-back", "cross"):
        k = 0.0
        while k < w + h:
            parts.append(f"M{_f(x + k)} {_f(y + h)}l{_f(-h)} {_f(-h)}")
            k += step
    if pattern == "dots":
        yy = y + 3
        while yy < y + h:
            xx = x + 3
            while xx < x + w:
                parts.append(f"M{_f(xx)} {_f(yy)}h0.1")
                xx += step
            yy += step
    if not parts:
        return ""
    width = "2.5" if pattern == "dots" else "1.3"
    return (
        f'<svg x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" overflow="hidden"'
        f' viewBox="{_f(x)} {_f(y)} {_f(w)} {_f(h)}"><path d="{"".join(parts)}" stroke="#fff"'
        f' stroke-width="{width}" stroke-linecap="round" fill="none"/></svg>'
    )


# ----------------------------------------------------------------------------- line chart


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Band:
    """An uncertainty band (e.g. the 80 % interval): ``lower``/``upper`` per x value; several
    bands around one series make a fan chart (draw the widest first)."""

    name: str
    lower: Sequence[float | None]
    upper: Sequence[float | None]
    color: str = PALETTE[0]


def line_chart(  # noqa: PLR0915
    *,
    title: str,
    description: str,
    x: Sequence[float],
    x_labels: Sequence[str],
    series: Sequence[Series],
    bands: Sequence[Band] = (),
    unit: str = "",
    decimals: int = 0,
    zero_based: bool = False,
    x_title: str = "",
    source: str = "",
    cid: str = "",
    table_open: bool = True,
    value_format: Callable[[float | None], str] | None = None,
) -> Chart:
    """Several series over a common numeric ``x`` (e.g. years) with ``x_labels`` for the
    axis and table; ``None`` values leave gaps. Bands are drawn behind the lines."""
    fmt = value_format or (lambda v: number(v, decimals))
    cid = cid or chart_id("line", title)
    n = len(x)
    values = [v for s in series for v in s.values if v is not None]
    values += [v for b in bands for v in (*b.lower, *b.upper) if v is not None]
    height = 300.0
    left, right, top, bottom = 62.0, 24.0, 26.0, 34.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    lines: list[str] = []
    if not values or n == 0:
        svg = _open_svg(cid, title, description, 80, "line-chart")
        empty = _("Keine Daten")
        svg += f'<text x="10" y="44">{_attr(empty)}</text></svg>'
        return Chart(
            cid,
            title,
            description,
            _safe(svg),
            _line_table(title, x_labels, series, bands, fmt, unit),
            [],
            source,
        )
    low, high = min(values), max(values)
    if zero_based:
        low = min(0.0, low)
    pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
    ticks = nice_ticks(low - (0 if zero_based and low == 0 else pad), high + pad)
    y0, y1 = ticks[0], ticks[-1]
    xmin, xmax = min(x), max(x)
    span = (xmax - xmin) or 1.0

    def px(value: float) -> float:
        return left + (value - xmin) / span * plot_w if n > 1 else left + plot_w / 2

    def py(value: float) -> float:
        return top + (y1 - value) / ((y1 - y0) or 1.0) * plot_h

    tick_decimals = max(_decimals_for(ticks), 0)
    # grid + y axis
    for tick in ticks:
        y = py(tick)
        lines.append(
            f'<line x1="{_f(left)}" x2="{_f(WIDTH - right)}" y1="{_f(y)}" y2="{_f(y)}"'
            f' stroke="#d5dde1" stroke-width="1"/>'
            f'<text x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end" fill="#1b1f23">'
            f"{_attr(number(tick, tick_decimals))}</text>"
        )
    if unit:
        lines.append(f'<text x="4" y="13" fill="#4a5560">{_attr(unit)}</text>')
    # x ticks: at most 7 labels, evenly chosen among the points
    every = max(1, math.ceil(n / 7))
    lines.extend(
        f'<text x="{_f(px(x[i]))}" y="{_f(height - bottom + 18)}" text-anchor="middle"'
        f' fill="#1b1f23">{_attr(x_labels[i])}</text>'
        for i in range(0, n, every)
    )
    lines.append(
        f'<line x1="{_f(left)}" x2="{_f(WIDTH - right)}" y1="{_f(top + plot_h)}"'
        f' y2="{_f(top + plot_h)}" stroke="#4a5560"/>'
    )
    if x_title:
        lines.append(
            f'<text x="{_f(WIDTH - right)}" y="{_f(height - 2)}" text-anchor="end"'
            f' fill="#4a5560">{_attr(x_title)}</text>'
        )
    legend: list[LegendItem] = []
    for j, band in enumerate(bands):
        opacity = round(0.18 + 0.12 * j, 2)
        for segment in _segments(x, band.lower, band.upper):
            upper = " L".join(f"{_f(px(a))} {_f(py(u))}" for a, _lo, u in segment)
            lower = " L".join(f"{_f(px(a))} {_f(py(lo))}" for a, lo, _u in reversed(segment))
            lines.append(
                f'<path d="M{upper} L{lower}Z" fill="{band.color}" fill-opacity="{opacity}"'
                f' stroke="{band.color}" stroke-opacity="0.5" stroke-width="0.8">'
                f"<title>{_attr(band.name)}</title></path>"
            )
        legend.append(LegendItem(band.name, band.color, "band", opacity=opacity))
    for k, item in enumerate(series):
        color, dash, marker = PALETTE[k % 6], DASHES[k % 6], MARKERS[k % 6]
        for segment in _segments(x, item.values):
            d = " L".join(f"{_f(px(a))} {_f(py(v))}" for a, v in segment)
            lines.append(
                f'<path d="M{d}" fill="none" stroke="{color}" stroke-width="2.5"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + ' stroke-linejoin="round"/>'
            )
        show_markers = n <= 40
        for i, v in enumerate(item.values):
            if v is None:
                continue
            label = f"{item.name}, {x_labels[i]}: {fmt(v)}" + (f" {unit}" if unit else "")
            extra = f' class="pt" data-label="{_attr(label)}"'
            if show_markers:
                lines.append(_marker(marker, px(x[i]), py(v), color, extra, label))
        legend.append(LegendItem(item.name, color, "line", dash=dash, marker=marker))
    svg = _open_svg(cid, title, description, height, "line-chart") + "".join(lines) + "</svg>"
    table = _line_table(title, x_labels, series, bands, fmt, unit)
    return Chart(cid, title, description, _safe(svg), table, legend, source, table_open)


def _segments(
    x: Sequence[float], *columns: Sequence[float | None]
) -> list[list[tuple[float, ...]]]:
    """Runs of consecutive points where every column has a value."""
    runs: list[list[tuple[float, ...]]] = []
    current: list[tuple[float, ...]] = []
    for i, xi in enumerate(x):
        row = [c[i] if i < len(c) else None for c in columns]
        if any(v is None for v in row):
            if current:
                runs.append(current)
            current = []
            continue
        current.append((xi, *[float(v) for v in row if v is not None]))
    if current:
        runs.append(current)
    return runs


def _line_table(  # noqa: PLR0917
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    bands: Sequence[Band],
    fmt: Callable[[float | None], str],
    unit: str,
) -> TableData:
    columns = [_("Zeitpunkt")] + [s.name + (f" ({unit})" if unit else "") for s in series]
    for band in bands:
        lower, upper = _("untere Grenze"), _("obere Grenze")
        columns += [f"{band.name}: {lower}", f"{band.name}: {upper}"]
    rows = []
    for i, label in enumerate(x_labels):
        cells = [fmt(s.values[i] if i < len(s.values) else None) for s in series]
        for band in bands:
            cells += [fmt(band.lower[i]), fmt(band.upper[i])]
        rows.append((label, cells))
    return TableData(title, columns, rows)


# ----------------------------------------------------------------------------- bar chart


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    unit: str = "",
    decimals: int = 0,
    source: str = "",
    cid: str = "",
    value_format: Callable[[float | None], str] | None = None,
) -> Chart:
    """Horizontal bars (long German labels stay readable at 390 px): one group of bars per
    category, one bar per series; ``stacked`` puts the series end to end. Values ≥ 0."""
    fmt = value_format or (lambda v: number(v, decimals))
    cid = cid or chart_id("bar", title)
    label_w, right, top = 150.0, 56.0, 6.0
    plot_w = WIDTH - label_w - right
    per_group = 1 if stacked else max(len(series), 1)
    bar_h = 14.0 if per_group > 1 else 18.0
    group_h = bar_h * per_group + 10
    height = top + group_h * max(len(categories), 1) + 6
    totals = [
        sum((s.values[i] or 0) for s in series)
        if stacked
        else max([(s.values[i] or 0) for s in series], default=0)
        for i in range(len(categories))
    ]
    vmax = max(totals, default=0) or 1.0
    out: list[str] = []
    for i, category in enumerate(categories):
        gy = top + i * group_h
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(gy + (group_h - 10) / 2 + 4.5)}"'
            f' text-anchor="end" fill="#1b1f23">{_attr(_shorten(category, 22))}</text>'
        )
        offset = 0.0
        for k, item in enumerate(series):
            value = item.values[i] if i < len(item.values) else None
            w = max(0.0, (value or 0) / vmax * plot_w)
            x0 = label_w + (offset if stacked else 0)
            y0 = gy if stacked else gy + k * bar_h
            color = PALETTE[k % 6]
            label = f"{category}, {item.name}: {fmt(value)}" + (f" {unit}" if unit else "")
            out.append(
                f'<rect class="pt" x="{_f(x0)}" y="{_f(y0)}" width="{_f(w)}"'
                f' height="{_f(bar_h - 2)}" fill="{color}" data-label="{_attr(label)}">'
                f"<title>{_attr(label)}</title></rect>"
            )
            out.append(_pattern_overlay(PATTERNS[k % 6], x0, y0, w, bar_h - 2))
            if not stacked:
                out.append(
                    f'<text x="{_f(x0 + w + 4)}" y="{_f(y0 + bar_h - 5)}" fill="#1b1f23"'
                    f' font-size="11">{_attr(fmt(value))}</text>'
                )
            offset += w
        if stacked:
            out.append(
                f'<text x="{_f(label_w + offset + 4)}" y="{_f(gy + bar_h - 5)}"'
                f' fill="#1b1f23" font-size="11">{_attr(fmt(totals[i]))}</text>'
            )
    out.append(
        f'<line x1="{_f(label_w)}" x2="{_f(label_w)}" y1="{_f(top)}" y2="{_f(height - 6)}"'
        ' stroke="#4a5560"/>'
    )
    svg = _open_svg(cid, title, description, height, "bar-chart") + "".join(out) + "</svg>"
    legend = [
        LegendItem(s.name, PALETTE[k % 6], "bar", pattern=PATTERNS[k % 6])
        for k, s in enumerate(series)
    ]
    columns = [""] + [s.name + (f" ({unit})" if unit else "") for s in series]
    if stacked:
        columns.append(_("Summe"))
    rows = []
    for i, category in enumerate(categories):
        cells = [fmt(s.values[i] if i < len(s.values) else None) for s in series]
        if stacked:
            cells.append(fmt(totals[i]))
        rows.append((category, cells))
    table = TableData(title, columns, rows)
    return Chart(cid, title, description, _safe(svg), table, legend, source)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- pyramid


def population_pyramid(  # noqa: PLR0912, PLR0915
    *,
    title: str,
    description: str,
    age_labels: Sequence[str],
    female: Sequence[float],
    male: Sequence[float],
    compare_female: Sequence[float] | None = None,
    compare_male: Sequence[float] | None = None,
    compare_label: str = "",
    as_share: bool = False,
    source: str = "",
    cid: str = "",
) -> Chart:
    """Men left, women right, youngest at the bottom; one bar per age (group). With
    ``as_share`` the bars are percentages of the total population. An optional comparison
    (another date or area, same scale) is drawn as a dark outline."""
    cid = cid or chart_id("pyr", title)
    men, women = _("Männer"), _("Frauen")
    n = len(age_labels)
    total = (sum(female) + sum(male)) or 1.0
    if compare_female is not None and compare_male is not None:
        compare_total = (sum(compare_female) + sum(compare_male)) or 1.0
    else:
        compare_total = 1.0

    def scaled(values: Sequence[float], denominator: float) -> list[float]:
        return [v / denominator * 100 if as_share else v for v in values]

    f, m = scaled(female, total), scaled(male, total)
    cf = scaled(compare_female, compare_total) if compare_female is not None else None
    cm = scaled(compare_male, compare_total) if compare_male is not None else None
    vmax = max([*f, *m, *(cf or []), *(cm or [])], default=0) or 1.0
    row_h = max(2.6, min(16.0, 300.0 / max(n, 1)))
    top, axis_w, bottom = 22.0, 40.0, 24.0
    height = top + row_h * n + bottom
    half = (WIDTH - axis_w) / 2 - 8
    centre_l, centre_r = 8 + half, 8 + half + axis_w
    decimals = 2 if as_share else 0
    unit = "%" if as_share else _("Personen")

    def fmt(v: float | None) -> str:
        return percent(v, decimals) if as_share else number(v, 0)

    out = [
        f'<text x="{_f(centre_l)}" y="14" text-anchor="end" font-weight="bold"'
        f' fill="#1f5fa8">{_attr(men)}</text>',
        f'<text x="{_f(centre_r)}" y="14" font-weight="bold" fill="#b3401a">{_attr(women)}</text>',
    ]
    label_every = 1 if n <= 25 else 10
    for i in range(n):
        y = top + (n - 1 - i) * row_h
        wm, wf = m[i] / vmax * half, f[i] / vmax * half
        lm = f"{age_labels[i]}, {men}: {fmt(m[i])}"
        lf = f"{age_labels[i]}, {women}: {fmt(f[i])}"
        out.append(
            f'<rect class="pt" x="{_f(centre_l - wm)}" y="{_f(y)}" width="{_f(wm)}"'
            f' height="{_f(row_h * 0.86)}" fill="#1f5fa8" data-label="{_attr(lm)}">'
            f"<title>{_attr(lm)}</title></rect>"
            f'<rect class="pt" x="{_f(centre_r)}" y="{_f(y)}" width="{_f(wf)}"'
            f' height="{_f(row_h * 0.86)}" fill="#b3401a" data-label="{_attr(lf)}">'
            f"<title>{_attr(lf)}</title></rect>"
        )
        if i % label_every == 0:
            out.append(
                f'<text x="{_f((centre_l + centre_r) / 2)}" y="{_f(y + row_h * 0.86 / 2 + 4)}"'
                f' text-anchor="middle" font-size="11" fill="#1b1f23">'
                f"{_attr(age_labels[i])}</text>"
            )
    legend = [
        LegendItem(men, "#1f5fa8", "bar"),
        LegendItem(women, "#b3401a", "bar"),
    ]
    if cf is not None and cm is not None:
        left_pts, right_pts = [], []
        for i in range(n):
            y = top + (n - 1 - i) * row_h
            left_pts += [
                (centre_l - cm[i] / vmax * half, y + row_h),
                (centre_l - cm[i] / vmax * half, y),
            ]
            right_pts += [
                (centre_r + cf[i] / vmax * half, y + row_h),
                (centre_r + cf[i] / vmax * half, y),
            ]
        for pts in (left_pts, right_pts):
            d = " L".join(f"{_f(a)} {_f(b)}" for a, b in pts)
            out.append(f'<path d="M{d}" fill="none" stroke="#1b1f23" stroke-width="1.6"/>')
        legend.append(LegendItem(compare_label or _("Vergleich"), "#1b1f23", "line"))
    ticks = nice_ticks(0, vmax, 3)
    for tick in ticks:
        if tick > vmax:
            continue
        for xx, anchor in (
            (centre_l - tick / vmax * half, "middle"),
            (centre_r + tick / vmax * half, "middle"),
        ):
            out.append(
                f'<text x="{_f(xx)}" y="{_f(height - 6)}" text-anchor="{anchor}" font-size="11"'
                f' fill="#4a5560">{_attr(number(tick, _decimals_for(ticks)))}</text>'
            )
    svg = _open_svg(cid, title, description, height, "pyramid") + "".join(out) + "</svg>"
    columns = [_("Alter"), f"{men} ({unit})", f"{women} ({unit})"]
    if cf is not None and cm is not None:
        label = compare_label or _("Vergleich")
        columns += [f"{men}, {label} ({unit})", f"{women}, {label} ({unit})"]
    rows = []
    for i in reversed(range(n)):
        cells = [fmt(m[i]), fmt(f[i])]
        if cf is not None and cm is not None:
            cells += [fmt(cm[i]), fmt(cf[i])]
        rows.append((age_labels[i], cells))
    table = TableData(title, columns, rows)
    return Chart(cid, title, description, _safe(svg), table, legend, source, table_open=n <= 12)


# ----------------------------------------------------------------------------- choropleth


@dataclass(frozen=True)
class ColorScale:
    """Classes ``[-inf, b0), [b0, b1), …, [b_last, inf)`` with one colour and label each."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]

    def color(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return NO_DATA
        index = sum(1 for b in self.breaks if value >= b)
        return self.colors[index]

    def class_index(self, value: float | None) -> int | None:
        if value is None or not math.isfinite(value):
            return None
        return sum(1 for b in self.breaks if value >= b)


def _class_labels(breaks: Sequence[float], fmt: Callable[[float], str]) -> tuple[str, ...]:
    labels = [_("unter %(v)s") % {"v": fmt(breaks[0])}]
    labels += [
        _("%(a)s bis unter %(b)s") % {"a": fmt(a), "b": fmt(b)}
        for a, b in itertools.pairwise(breaks)
    ]
    labels.append(_("%(v)s und mehr") % {"v": fmt(breaks[-1])})
    return tuple(labels)


def _round_break(value: float) -> float:
    if value == 0:
        return 0.0
    magnitude = 10 ** (math.floor(math.log10(abs(value))) - 1)
    return round(round(value / magnitude) * magnitude, 10)


def sequential_scale(
    values: Sequence[float | None], *, classes: int = 5, fmt: Callable[[float], str] | None = None
) -> ColorScale:
    """Quantile classes (rounded breaks) over light → dark blue."""
    fmt = fmt or (lambda v: number(v, 1 if abs(v) < 10 else 0))
    data = sorted(v for v in values if v is not None and math.isfinite(v))
    classes = max(2, min(classes, len(SEQUENTIAL)))
    if len(data) < 2:
        breaks: tuple[float, ...] = (data[0] if data else 0.0,)
        colors: tuple[str, ...] = (SEQUENTIAL[0], SEQUENTIAL[-1])
        return ColorScale(breaks, colors, _class_labels(breaks, fmt))
    raw = [data[min(len(data) - 1, int(len(data) * q / classes))] for q in range(1, classes)]
    breaks = tuple(sorted({_round_break(b) for b in raw}))
    colors = tuple(
        SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / len(breaks))] for i in range(len(breaks) + 1)
    )
    return ColorScale(breaks, colors, _class_labels(breaks, fmt))


def diverging_scale(
    values: Sequence[float | None],
    *,
    center: float = 0.0,
    fmt: Callable[[float], str] | None = None,
) -> ColorScale:
    """Seven classes symmetric around ``center`` (red below, blue above), e.g. for change in
    percent; the class width follows the 90th percentile of the distance from the centre."""
    fmt = fmt or (lambda v: percent(v, 1, signed=True))
    data = sorted(abs(v - center) for v in values if v is not None and math.isfinite(v))
    reach = data[int(len(data) * 0.9)] if data else 1.0
    step = _round_break(max(reach, 1e-9) / 2.5) or 1.0
    breaks = tuple(round(center + k * step, 10) for k in (-2.5, -1.5, -0.5, 0.5, 1.5, 2.5))
    return ColorScale(breaks, DIVERGING, _class_labels(breaks, fmt))


@dataclass(frozen=True)
class MapArea:
    key: str
    name: str
    path: str
    value: float | None
    href: str = ""


def choropleth(
    *,
    title: str,
    description: str,
    areas: Sequence[MapArea],
    scale: ColorScale,
    viewbox: tuple[float, float, float, float],
    value_label: str,
    fmt: Callable[[float | None], str] | None = None,
    outlines: Sequence[str] = (),
    highlight: str = "",
    source: str = "",
    cid: str = "",
    table_rows: int | None = None,
) -> Chart:
    """Areas (SVG path data in the ``viewbox`` coordinates) filled by ``scale``; ``outlines``
    (e.g. Land borders) drawn on top; ``highlight`` (a key) outlined thickly. Each area has a
    tooltip with its name and value and may link to ``href``. The table lists all areas, or with
    ``table_rows`` only the lowest and highest values (half each)."""
    fmt = fmt or (lambda v: number(v, 1))
    cid = cid or chart_id("map", title)
    vx, vy, vw, vh = viewbox
    height = WIDTH * vh / vw if vw else WIDTH
    stroke = max(vw / WIDTH * 0.35, 0.01)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ow-chart choropleth" id="{cid}"'
        f' viewBox="{_f(vx)} {_f(vy)} {_f(vw)} {_f(vh)}" width="100%" role="img"'
        f' aria-labelledby="{cid}-t {cid}-d" data-height="{_f(height)}">'
        f'<title id="{cid}-t">{_attr(title)}</title><desc id="{cid}-d">{_attr(description)}</desc>'
        f'<g stroke="#4a5560" stroke-width="{stroke:.3g}" stroke-linejoin="round">'
    ]
    highlighted = None
    for area in areas:
        label = f"{area.name}: {fmt(area.value)}"
        body = (
            f'<path class="pt" d="{_attr(area.path)}" fill="{scale.color(area.value)}">'
            f"<title>{_attr(label)}</title></path>"
        )
        if area.href:
            body = f'<a href="{_attr(area.href)}">{body}</a>'
        out.append(body)
        if area.key == highlight:
            highlighted = area
    out.append("</g>")
    out.extend(
        f'<path d="{_attr(outline)}" fill="none" stroke="#1b1f23"'
        f' stroke-width="{stroke * 2.5:.3g}"/>'
        for outline in outlines
    )
    if highlighted is not None:
        out.append(
            f'<path d="{_attr(highlighted.path)}" fill="none" stroke="#000"'
            f' stroke-width="{stroke * 6:.3g}"/>'
        )
    out.append("</svg>")
    legend = [
        LegendItem(label, color, "area")
        for label, color in zip(scale.labels, scale.colors, strict=True)
    ]
    if any(a.value is None for a in areas):
        legend.append(LegendItem(_("keine Angabe"), NO_DATA, "area", pattern=""))
    ordered = sorted(areas, key=lambda a: (a.value is None, a.value or 0, a.name))
    note = ""
    if table_rows is not None and len(ordered) > table_rows:
        half = max(1, table_rows // 2)
        known = [a for a in ordered if a.value is not None]
        ordered = known[:half] + known[-half:]
        note = _("Gezeigt: die %(n)s niedrigsten und höchsten Werte von %(total)s Gebieten.") % {
            "n": half,
            "total": number(len(areas)),
        }
    rows = [(a.name, [fmt(a.value)]) for a in ordered]
    table = TableData(title, [_("Gebiet"), value_label], rows, note)
    return Chart(
        cid,
        title,
        description,
        _safe("".join(out)),
        table,
        legend,
        source,
        table_open=len(rows) <= 25,
    )
