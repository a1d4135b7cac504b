"""Scenario ``entities``: read 5,000 ad groups from a scaled emulator into a DataFrame.

Reports the list requests made (from the emulator's request log), wall seconds, rows per
second, and the peak Python memory of the read (tracemalloc, a second identical run).

    python -m bench entities                       # 50 campaigns x 100 ad groups
    python -m bench entities campaigns=100         # 10,000 ad groups
"""

from __future__ import annotations

import time
import tracemalloc

import pintools as pt
from pintools.emulator import start


def run(campaigns: int = 50, ad_groups_per_campaign: int = 100, page_size: int = 250) -> dict:
    account_spec = {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": campaigns,
                    "ad_groups_per_campaign": ad_groups_per_campaign, "ads_per_ad_group": 0,
                    "keywords_per_ad_group": 0, "statuses": "active"}
    server = start(seed=7, accounts=[account_spec], rate_limits={}, spec_path="")
    try:
        client = pt.connect(emulator=server, quiet=True, rate_limits={"ads_read": None, "universal": None})
        account = pt.read_ad_accounts(client=client)["id"].iloc[0]
        client.currency_of(account)  # warm the one account lookup; it is not what we measure
        server.control.clear_requests()

        started = time.perf_counter()
        frame = pt.read_ad_groups(account, client=client)
        seconds = time.perf_counter() - started
        requests_made = len(server.control.requests(operation_id="ad_groups/list"))

        tracemalloc.start()
        again = pt.read_ad_groups(account, client=client)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(again) == len(frame)
    finally:
        server.stop()
    return {
        "ad_groups": len(frame),
        "page_size": page_size,
        "list_requests": requests_made,
        "expected_requests": -(-len(frame) // page_size),
        "seconds": round(seconds, 3),
        "rows_per_second": round(len(frame) / seconds),
        "peak_python_memory_mb": round(peak / 2**20, 1),
        "frame_memory_mb": round(frame.memory_usage(deep=True).sum() / 2**20, 1),
    }
