"""The performance dashboard: account, date range, level and metric → a table and a chart.

All work is done by :func:`pintools.read_analytics` and :mod:`pintools.plots`; the widget
only collects inputs and shows results. Use it interactively, or drive it from code
(``dash.level.value = "ad_group"; dash.load()``) — which is also how it is tested.

>>> dash = dashboard()            # doctest: +SKIP
>>> dash.load().head()            # the per-entity totals the table shows   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

import pandas as pd

from ..analytics.dates import last_day
from ..analytics.summary import SUMMARY_COLUMNS, summarise
from ._common import describe_error, png_html, static_bundle, status_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..client import Client

LEVELS = [("Campaigns", "campaign"), ("Ad groups", "ad_group"), ("Ads", "ad")]
#: chart choices: additive columns (summed per day) and KPIs (recomputed from each day's totals)
METRICS = [
    ("Spend", "SPEND_IN_MICRO_DOLLAR"),
    ("Impressions", "IMPRESSION_1"),
    ("Clicks", "CLICKTHROUGH_1"),
    ("Impressions, paid + earned", "TOTAL_IMPRESSION"),
    ("Pin clicks, paid + earned", "TOTAL_CLICKTHROUGH"),
    ("Outbound clicks", "OUTBOUND_CLICK_1"),
    ("Checkouts", "TOTAL_CHECKOUT"),
    ("Checkout value", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"),
    ("CTR", "ctr"),
    ("CPC", "cpc"),
    ("CPA (checkout)", "cpa"),
    ("ROAS (checkout)", "roas"),
]
#: what a load reads: the summary's inputs and every additive chart metric
TABLE_COLUMNS = list(dict.fromkeys([*SUMMARY_COLUMNS, *(m for _, m in METRICS if m.isupper())]))
_PERCENT = ("ctr", "conversion_rate")
_COUNTS = ("impressions", "clicks", "conversions")


def table_html(summary: pd.DataFrame) -> str:
    """The summary as an HTML table: fractions as percents, counts and money with thousands
    separators, missing values as a dash.

    >>> "1.25%" in table_html(pd.DataFrame({"ctr": [0.0125], "spend": [1234.5]}))
    True
    """
    formatters = {c: (lambda v: f"{v:.2%}") if c in _PERCENT else (lambda v: f"{v:,.0f}") if c in _COUNTS
                  else (lambda v: f"{v:,.2f}") for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c])}
    return summary.to_html(index=False, na_rep="—", formatters=formatters)


class Dashboard:
    """The widget. Attributes ``account``, ``start``, ``end``, ``level``, ``metric`` are the
    controls; ``data`` holds the last tidy frame loaded; ``summary`` its per-entity totals and
    KPIs (:func:`pintools.analytics.summarise`, which recomputes every ratio from the sums)."""

    def __init__(self, client: "Client | None" = None, *, days: int = 30, include_today: bool = False) -> None:
        import ipywidgets as w

        from ..client import default_client
        from ..entities import read_ad_accounts

        self.client = client or default_client()
        accounts = read_ad_accounts(client=self.client)
        today = self.client.today()
        last = last_day(today, include_today=include_today)  # yesterday: the last complete day
        self.account = w.Dropdown(options=[(f"{r.name} ({r.currency})", r.id) for r in accounts.itertuples()],
                                  description="Account")
        self.start = w.DatePicker(value=last - dt.timedelta(days=days - 1), description="From")
        self.end = w.DatePicker(value=last, description="To")
        self.level = w.Dropdown(options=LEVELS, value="campaign", description="Level")
        self.metric = w.Dropdown(options=METRICS, value="SPEND_IN_MICRO_DOLLAR", description="Chart")
        self.button = w.Button(description="Load", button_style="primary", icon="refresh")
        self.status = w.HTML(status_html("Choose and press Load."))
        self.table = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.button.on_click(lambda _: self.load())
        self.data: pd.DataFrame | None = None
        self.summary: pd.DataFrame | None = None
        self.view = w.VBox([
            w.HBox([self.account, self.level]),
            w.HBox([self.start, self.end]),
            w.HBox([self.metric, self.button]),
            self.status,
            w.Tab(children=[self.table, self.chart], titles=["Table", "Chart"]),
        ])

    def __repr__(self) -> str:
        return (f"Dashboard(account={self.account.value!r}, level={self.level.value!r}, "
                f"metric={self.metric.value!r}, {self.start.value}..{self.end.value})")

    def _repr_mimebundle_(self, **kwargs):
        return static_bundle(self.view, repr(self), self.static_html(), self.chart.value or None)

    def static_html(self) -> str:
        """What the dashboard shows now, as HTML that needs no widget: the choices, the status
        line, the table and the chart (inline PNG) — the copy that notebook exports keep."""
        head = (f"<div><b>{html.escape(str(self.account.label))}</b> · {html.escape(str(self.level.label))} · "
                f"{self.start.value} to {self.end.value}</div>")
        chart = png_html(self.chart.value, f"{self.metric.label} by day")
        return "\n".join([head, f"<div>{self.status.value}</div>", self.table.value, chart])

    def load(self) -> pd.DataFrame | None:
        """Fetch the chosen analytics, refresh the table and chart; return the per-entity totals
        (``None`` after a failure, which the status line explains)."""
        from .. import plots
        from ..analytics.read import read_analytics

        self.status.value = status_html("Loading…")
        try:
            self.data = read_analytics(self.account.value, self.start.value, self.end.value, level=self.level.value,
                                       columns=TABLE_COLUMNS, names=True, progress=False, client=self.client)
            self.summary = summarise(self.data, self.level.value)
            figure = plots.metric_over_time(self.data, self.metric.value)
        except Exception as exc:  # shown to the analyst as one line; nothing is raised into the UI
            self.status.value = status_html(describe_error(exc), "error")
            return None
        self.table.value = table_html(self.summary)
        self.chart.value = figure._repr_png_()
        rows = len(self.data)
        self.status.value = status_html(f"{rows:,} rows, {self.summary.shape[0]} {self.level.label.lower()}.", "ok")
        return self.summary

    def figure(self) -> "Figure":
        """The chart of the last load, for saving or showing outside the widget."""
        from .. import plots

        if self.data is None:
            raise ValueError("nothing loaded yet: call load() first")
        return plots.metric_over_time(self.data, self.metric.value)


def dashboard(client: "Client | None" = None, *, days: int = 30, include_today: bool = False) -> Dashboard:
    """Build the performance dashboard (see :class:`Dashboard`): the last ``days`` complete days,
    ending yesterday on the API's clock (``include_today=True`` ends today, a partial day).

    >>> pt.widgets.dashboard(days=7)          # doctest: +SKIP
    """
    return Dashboard(client, days=days, include_today=include_today)
