"""Scenario ``conversions``: prepare 1,000,000 offline orders, then send them within a binding rate limit.

1. Synthetic orders (deterministic): email with stray case and spaces, phones in E.164,
   US national and GB national formats (with a ``country`` column), names, city, state, ZIP,
   value, currency and an ISO order time in the last six days of the demo clock.
2. ``prepare``: :func:`pintools.prepare_conversions` over all rows, one process — events/s; then
   (``prepare_workers=N``, default 2) again with ``workers=N`` — events/s, and per core: events per
   CPU second of this process and its hashing workers together (``prepare_runs=N``: median and best
   of N calls).
3. ``baseline``: the per-row loop a typical integration writes (a dict per event, ``str``
   methods, ``re`` and ``hashlib`` per field, no phone library) over the same rows — events/s.
4. ``send``: :func:`pintools.send_conversions` to an emulator in its own process, with the
   ``ads_conversions`` limit set to ``rate_per_minute`` on both sides so that it binds;
   reports achieved calls/min against the configured rate (and as a percentage of it), 429s,
   and that every event was recorded exactly once. The client keeps part of its burst in
   reserve (``pintools.http.ratelimit.JITTER_ALLOWANCE``) so calls bunched on the way meet no 429.

    python -m bench conversions                         # 1,000,000 events, 600 calls/min
    python -m bench conversions events=200000 rate_per_minute=1200 baseline_rows=0 send=false prepare_workers=1
    python -m bench conversions events=200000 send=false baseline=false prepare_runs=5   # median and best of 5
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import resource
import statistics
import time

import numpy as np
import pandas as pd

import pintools as pt
from pintools.emulator import DEMO_ACCESS_TOKEN
from pintools.emulator.control_client import EmulatorControl
from pintools.emulator.process import emulator_process

CLOCK = "2026-11-15T12:00:00Z"
FIRST = ["Ada", "Grace", "Alan", "Katherine", "Tim", "Margaret", "Linus", "Barbara", "Dennis", "Frances"] * 20
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Berners-Lee", "Hamilton", "Torvalds", "Liskov", "Ritchie"] * 20
PLACES = [("San Francisco", "CA", "94105-1234", "US"), ("New York", "NY", "10001", "US"),
          ("Austin", "TX", "73301", "US"), ("London", "", "SW1A 1AA", "GB"), ("Manchester", "", "M1 1AE", "GB"),
          ("Seattle", "WA", "98101", "US"), ("Chicago", "IL", "60601", "US"), ("Leeds", "", "LS1 4AP", "GB")]


def orders(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` synthetic offline orders (vectorised, deterministic)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    place = rng.integers(0, len(PLACES), n)
    city, state, zipcode, country = (np.array([p[i] for p in PLACES], dtype=object)[place] for i in range(4))
    local = rng.integers(2_000_000, 9_999_999, n).astype(str).astype(object)
    kind = rng.integers(0, 10, n)
    us = country == "US"
    phone = np.where(kind < 4, "+1 415 " + local, np.where(us, "(415) " + local, "020 7" + local))
    phone = np.where(~us & (kind < 4), "+44 20 7" + local, phone)
    seconds = rng.integers(3600, 6 * 86400, n)
    when = pd.Timestamp(CLOCK) - pd.to_timedelta(seconds, unit="s")
    return pd.DataFrame({
        "order_id": "ORD-" + pd.Series(ids).astype(str),
        "email": np.where(kind % 2 == 0, " User", "user") + pd.Series(ids).astype(str) + "@Example.COM ",
        "phone": phone,
        "first_name": np.array(FIRST, dtype=object)[rng.integers(0, len(FIRST), n)],
        "last_name": np.array(LAST, dtype=object)[rng.integers(0, len(LAST), n)],
        "city": city, "state": state, "zip": zipcode, "country": country,
        "value": (rng.integers(500, 50_000, n) / 100).round(2),
        "currency": np.where(us, "USD", "GBP"),
        "order_time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


def baseline(df: pd.DataFrame) -> list[dict]:
    """The per-row loop of a typical integration."""
    def h(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    events = []
    for row in df.itertuples(index=False):
        digits = re.sub(r"\D", "", row.phone)
        user = {"em": [h(row.email.strip().lower())], "ph": [h(digits.lstrip("0"))],
                "fn": [h(row.first_name.lower())], "ln": [h(row.last_name.lower())],
                "ct": [h(re.sub(r"[\W_]+", "", row.city.lower()))], "zp": [h(row.zip.lower().replace(" ", ""))],
                "country": [h(row.country.lower())]}
        if row.state:
            user["st"] = [h(row.state.lower())]
        stamp = int(datetime.datetime.fromisoformat(row.order_time.replace("Z", "+00:00")).timestamp())
        events.append({"event_name": "checkout", "action_source": "offline", "event_time": stamp,
                       "event_id": row.order_id, "user_data": user,
                       "custom_data": {"currency": row.currency, "value": str(row.value), "order_id": row.order_id}})
    return events


per_row_loop = baseline  # run()'s option ``baseline`` (a flag) hides the function's name there


def run(events: int = 1_000_000, rate_per_minute: int = 600, baseline_rows: int | None = None,
        send: bool = True, workers: int = 4, prepare_workers: int = 2, baseline: bool = True, prepare_runs: int = 1,
        **_) -> dict:
    if not baseline:  # baseline=false: no per-row loop (same as baseline_rows=0)
        baseline_rows = 0
    df = orders(int(events))
    figures: dict = {"events": int(events), "cpus": os.cpu_count(), "load_average": os.getloadavg()}

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    prepared, figures["prepare"] = _prepare(df, 1, int(prepare_runs))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["prepare"].update({"peak_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
                               "prepared_frame_mb": round(prepared.memory_usage(deep=True).sum() / 2**20, 1),
                               "rows_with_problems": int(prepared["problems"].notna().sum())})
    if int(prepare_workers) > 1:
        del prepared
        prepared, figures[f"prepare_workers_{int(prepare_workers)}"] = _prepare(df, int(prepare_workers),
                                                                                int(prepare_runs))

    rows = df if baseline_rows is None else df.iloc[: int(baseline_rows)]
    if len(rows):
        started = time.perf_counter()
        built = per_row_loop(rows)
        seconds = time.perf_counter() - started
        figures["baseline_per_row_loop"] = {"rows": len(rows), "seconds": round(seconds, 2),
                                            "events_per_second": round(len(rows) / seconds)}
        same = built[0]["user_data"]["em"][0] == prepared["user_data.em"].iloc[0]
        figures["baseline_per_row_loop"]["same_email_hash"] = bool(same)
        figures["speedup_vs_baseline"] = round(figures["prepare"]["events_per_second"]
                                               / figures["baseline_per_row_loop"]["events_per_second"], 1)
        if int(prepare_workers) > 1:
            figures[f"speedup_vs_baseline_workers_{int(prepare_workers)}"] = round(
                figures[f"prepare_workers_{int(prepare_workers)}"]["events_per_second"]
                / figures["baseline_per_row_loop"]["events_per_second"], 1)

    if send:
        figures["send"] = _send(prepared, int(rate_per_minute), int(workers))
    return figures


def _prepare(df: pd.DataFrame, workers: int, runs: int = 1) -> tuple[pd.DataFrame, dict]:
    """The prepared frame, and events/s by the clock and per CPU second (this process + workers).
    A 1,000-row call first loads the modules (pintools.conversions, phonenumbers' metadata), so the
    figure is the steady throughput, as in a notebook or a recipe that has prepared before. With
    ``runs`` > 1 the figures are the median of that many calls, with the best beside them (the
    host is shared: one call's figure can be a third off)."""
    pt.prepare_conversions(df.head(1000), event_name="checkout", action_source="offline", now=CLOCK)
    timings = []
    for _ in range(max(1, runs)):
        prepared = None  # the previous run's frame is freed first
        started, cpu = time.perf_counter(), time.process_time()
        prepared = pt.prepare_conversions(df, event_name="checkout", action_source="offline", now=CLOCK,
                                          workers=workers)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu + prepared.attrs["worker_cpu_seconds"]
        timings.append((seconds, cpu))
    seconds, cpu = statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)
    figures = {"workers": workers, "seconds": round(seconds, 2), "events_per_second": round(len(df) / seconds),
               "cpu_seconds": round(cpu, 2), "events_per_cpu_second": round(len(df) / cpu)}
    if runs > 1:
        figures.update({"runs": runs, "events_per_second_best": round(len(df) / min(t[0] for t in timings)),
                        "events_per_cpu_second_best": round(len(df) / min(t[1] for t in timings))})
    return prepared, figures


def _send(prepared: pd.DataFrame, rate_per_minute: int, workers: int) -> dict:
    with emulator_process(clock=CLOCK) as base_url:
        url = base_url.removesuffix("/v5")
        control = EmulatorControl(url)
        control.set_rate_limit("ads_conversions", per_minute=rate_per_minute, burst=max(1, rate_per_minute // 60))
        client = pt.connect(DEMO_ACCESS_TOKEN, base_url=url + "/v5",
                            rate_limits={"ads_conversions": pt.Rate(per_minute=rate_per_minute,
                                                                    burst=max(1, rate_per_minute // 60))})
        account = pt.read_ad_accounts(client=client).id[0]
        started = time.perf_counter()
        results = pt.send_conversions(prepared, account, client=client, progress=False, max_workers=workers)
        seconds = time.perf_counter() - started
        sent = {"seconds": round(seconds, 1), "calls": results.attrs["calls"],
                "configured_calls_per_minute": rate_per_minute,
                "achieved_calls_per_minute": round(results.attrs["calls"] / seconds * 60),
                "events_per_second": round(len(prepared) / seconds),
                "statuses": {str(k): int(v) for k, v in results["status"].value_counts().items() if v}}
        calls = control.conversion_calls(account)
        sent["http_statuses"] = {str(k): int(v) for k, v in
                                 pd.Series([c["status"] for c in calls]).value_counts().items()}
        sent["emulator_record"] = control.conversion_summary(account)
        sent["percent_of_configured_rate"] = round(100 * sent["achieved_calls_per_minute"] / rate_per_minute, 1)
        sent["every_event_recorded_once"] = sent["emulator_record"] == {"recorded": len(prepared),
                                                                         "times_received": {"1": len(prepared)}}
        return sent
