"""One worker of tests/client/test_shared_budget_processes.py: reads analytics for its shard of ad
accounts, over and over, until told to stop.

    python tests/client/shared_budget_worker.py BASE_URL SHARD_I SHARD_N PER_MINUTE BURST THREADS [PG_URL]

It connects with the emulator's demo token (``shared_budget=PG_URL`` when given, else a budget of
its own), prints ``ready``, then reads one line ``START STOP`` (Unix times) from stdin, waits for
START, and has THREADS threads call ``pt.read_analytics`` round-robin over accounts
``i, i+n, i+2n, ...`` (of ``pt.read_ad_accounts()``) until STOP. Prints a JSON summary last.
"""

from __future__ import annotations

import json
import sys
import threading
import time


def main(argv: list[str]) -> int:
    base_url, shard_i, shard_n, per_minute, burst, threads = argv[:6]
    shared = argv[6] if len(argv) > 6 else None
    import pintools as pt
    from pintools.emulator import DEMO_ACCESS_TOKEN
    from pintools.http.errors import RateLimited
    from pintools.http.ratelimit import Rate

    client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url, quiet=True, shared_budget=shared,
                        rate_limits={"ads_analytics": Rate(per_minute=float(per_minute), burst=int(burst))})
    accounts = list(pt.read_ad_accounts(client=client)["id"])[int(shard_i)::int(shard_n)]
    for account in accounts:
        client.currency_of(account)                    # cached: the loop below makes analytics calls only
    print("ready", flush=True)
    start, stop = (float(x) for x in sys.stdin.readline().split())
    time.sleep(max(0.0, start - time.time()))
    counts = {"reads": 0, "gave_up_429": 0}
    lock = threading.Lock()

    def work(offset: int) -> None:
        n = offset
        while time.time() < stop:
            account = accounts[n % len(accounts)]
            n += 1
            try:
                pt.read_analytics(account, "2026-11-01", "2026-11-07", level="ad_account", progress=False,
                                  client=client)
                key = "reads"
            except RateLimited:
                key = "gave_up_429"
            with lock:
                counts[key] += 1

    pool = [threading.Thread(target=work, args=(k,)) for k in range(int(threads))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(json.dumps({"accounts": accounts, **counts}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
