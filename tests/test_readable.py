"""pt.readable: reasons and problems in full (never cut with "…"), wrapped, money in units."""

import pandas as pd
import pytest

import pintools as pt


def test_conversion_problems_are_shown_in_full_where_pandas_cuts_them():
    orders = pd.read_csv(pt.conversions.SAMPLE_ORDERS_CSV, dtype=str, keep_default_na=False)
    prepared = pt.prepare_conversions(orders, event_name="checkout", action_source="offline",
                                      now="2026-11-15T12:00:00Z")
    problems = prepared.query("problems.notna()")[["event_id", "problems"]]
    longest = max(problems["problems"], key=len)
    assert len(longest) > 60 and longest not in problems._repr_html_()   # what the issue saw: pandas cuts it
    page = pt.readable(problems).to_html()
    assert longest.replace("'", "&#39;") in page and "…" not in page
    assert "white-space: pre-wrap" in page


def test_money_in_currency_units_text_escaped_and_a_wrong_column_named():
    frame = pd.DataFrame({"name": ["<b>Sofas</b>"], "bid_in_micro_currency": pd.array([605_000], dtype="Int64"),
                          "currency": ["USD"], "ctr": [0.0125]})
    page = pt.readable(frame).to_html()
    assert ">0.605<" in page and "605000" not in page and "0.0125" in page
    assert "&lt;b&gt;Sofas" in page and "<b>Sofas" not in page
    assert frame["bid_in_micro_currency"].iloc[0] == 605_000                 # the data keep their micros
    with pytest.raises(ValueError, match="no column 'reason'"):
        pt.readable(frame, wrap=["reason"])
