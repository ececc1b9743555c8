"""The rates rendered as files: the trend chart (.png), the workbook (.xlsx), JSON.

They only render :class:`features.rates.Trend`; headings and labels are part of the file
formats and live in :mod:`core.texts.exports`. Unit names and figures only — never report content.
"""

from __future__ import annotations

import io
import json
import textwrap

from core.texts import exports as tx
from features.rates import OccurrenceRate, Trend

RATE_HEADERS = tx.RATE_HEADERS
UNIT_HEADERS = tx.UNIT_HEADERS
# The chart shows at most this many units (the worst first when there are more).
CHART_UNITS = 25
COLOURS = {"rate": "#1565c0", "on_time": "#2e7d32", "late": "#ef6c00", "missing": "#c62828"}


def short_label(occ: OccurrenceRate, width: int = 28) -> str:
    """``Báo cáo năm… 10/12/2025``: a short title and the due date (for axes and tables)."""
    return f"{textwrap.shorten(occ.title, width=width, placeholder='…')} {occ.due_date:%d/%m/%Y}"


def rate_row(occ: OccurrenceRate) -> list[object]:
    """One occurrence as a row of :data:`RATE_HEADERS`."""
    return [
        occ.title, f"{occ.due_date:%d/%m/%Y}", occ.grace_days, occ.expected, occ.received,
        occ.on_time, occ.late, occ.missing, occ.exempt,
        "" if occ.rate is None else occ.rate, "" if occ.on_time_rate is None else occ.on_time_rate,
    ]


def trend_json(trend: Trend) -> str:
    """The trend as indented JSON (UTF-8 text, Vietnamese kept as is)."""
    return json.dumps(trend.to_json(), ensure_ascii=False, indent=2)


def trend_xlsx(trend: Trend, *, title: str) -> bytes:
    """The trend as a workbook: the occurrences, the units, and what the file is."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = tx.SHEET_BY_PERIOD
    ws.append(RATE_HEADERS)
    for occ in trend.occurrences:
        ws.append(rate_row(occ))
    units = wb.create_sheet(tx.SHEET_BY_UNIT)
    units.append(UNIT_HEADERS)
    for u in trend.units:
        units.append([u.unit_name, u.expected, u.on_time, u.late, u.missing,
                      "" if u.on_time_rate is None else u.on_time_rate,
                      tx.YES if u.regularly_late else ""])
    for sheet, widths in ((ws, {"A": 45}), (units, {"A": 45})):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
    info = wb.create_sheet(tx.SHEET_INFO)
    info.append([tx.INFO_WHAT, title])
    info.append([tx.INFO_PERIODS, len(trend.occurrences)])
    info.append([tx.INFO_METHOD, tx.METHOD])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def trend_png(trend: Trend, *, heading: str) -> bytes:
    """The trend chart: the two rates per occurrence, then each unit's on time / late / missing.

    Args:
        trend: the figures.
        heading: the figure's title (the plan).

    Returns:
        The PNG bytes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    units = list(trend.units)
    if len(units) > CHART_UNITS:
        units = trend.regularly_late[:CHART_UNITS] or units[:CHART_UNITS]
    fig = Figure(figsize=(10, 4.2 + 0.32 * max(len(units), 1)), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, height_ratios=[3.2, 0.32 * max(len(units), 1) + 0.6])
    occs = trend.occurrences
    xs = list(range(len(occs)))
    top.plot(xs, [o.rate or 0 for o in occs], marker="o", color=COLOURS["rate"],
             label=tx.LEGEND_RATE)
    top.plot(xs, [o.on_time_rate or 0 for o in occs], marker="s", color=COLOURS["on_time"],
             label=tx.LEGEND_ON_TIME_RATE)
    for x, o in zip(xs, occs, strict=True):
        top.annotate(f"{o.received}/{o.expected}", (x, o.rate or 0), textcoords="offset points",
                     xytext=(0, 7), ha="center", fontsize=8)
    top.set_ylim(0, 108)
    top.set_ylabel("%")
    top.set_xticks(xs, [short_label(o, 22) for o in occs], rotation=20, ha="right", fontsize=8)
    top.grid(axis="y", alpha=0.3)
    top.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8,
               frameon=False)
    top.set_title(tx.CHART_RATES_TITLE, fontsize=10, loc="left")
    ys = list(range(len(units)))[::-1]
    names = [textwrap.shorten(u.unit_name, width=42, placeholder="…") for u in units]
    on_time = [u.on_time for u in units]
    late = [u.late for u in units]
    missing = [u.missing for u in units]
    bottom.barh(ys, on_time, color=COLOURS["on_time"], label=tx.LEGEND_ON_TIME)
    bottom.barh(ys, late, left=on_time, color=COLOURS["late"], label=tx.LEGEND_LATE)
    bottom.barh(ys, missing, left=[a + b for a, b in zip(on_time, late, strict=True)],
                color=COLOURS["missing"], label=tx.LEGEND_MISSING)
    bottom.set_yticks(ys, [n + (" ⚠" if u.regularly_late else "") for n, u in
                           zip(names, units, strict=True)], fontsize=8)
    bottom.set_xlabel(tx.CHART_PERIODS_AXIS)
    bottom.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=8,
                  frameon=False)
    bottom.set_title(tx.CHART_UNITS_TITLE, fontsize=10, loc="left")
    if not occs:
        top.text(0.5, 0.5, tx.CHART_NO_PERIOD, ha="center", va="center", transform=top.transAxes)
    fig.suptitle(textwrap.shorten(heading, width=90, placeholder="…"), fontsize=12)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
