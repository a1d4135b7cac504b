"""One worker of tests/client/test_shared_budget_processes.py: ``pt.sync`` of one shard of the ad
accounts, with the rate budget shared through PostgreSQL (or a budget of its own).

    python tests/client/shared_budget_sync_worker.py BASE_URL SHARD FOLDER RATES_JSON [PG_URL]

Connects with the emulator's demo token, the client rates RATES_JSON (``{"category": [per_minute,
burst], ...}``: the emulator's scaled-down limits) and ``shared_budget=PG_URL`` when given, prints
``ready``, waits for a line on stdin, then syncs shard SHARD (``i/n``) at the campaign, ad group
and ad levels (30 days: one analytics call per account and level; no entity tables) into a DuckDB
file in FOLDER, and prints a JSON summary last.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    base_url, shard, folder, rates = argv[:4]
    shared = argv[4] if len(argv) > 4 else None
    import pintools as pt
    from pintools.emulator import DEMO_ACCESS_TOKEN
    from pintools.http.ratelimit import Rate

    limits = {k: Rate(per_minute=float(m), burst=int(b)) for k, (m, b) in json.loads(rates).items()}
    client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url, quiet=True, shared_budget=shared, rate_limits=limits)
    print("ready", flush=True)
    sys.stdin.readline()
    name = shard.replace("/", "_of_")
    result = pt.sync(shard=shard, levels=["campaign", "ad_group", "ad"], entities=[], history_days=30,
                     progress=False, client=client, destination=f"{folder}/{name}.duckdb",
                     pipelines_dir=f"{folder}/pipelines_{name}", pipeline_name=f"shard_{name}")
    print(json.dumps({"status": result.status, "accounts": list(result.accounts), "calls": result.calls,
                      "throttled": result.throttled}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
