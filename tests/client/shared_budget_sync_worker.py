"""One worker of test_shared_budget_processes.py's sync test: ``pt.sync`` of one shard, with the
rate budget shared through PostgreSQL.

    python tests/client/shared_budget_sync_worker.py BASE_URL SHARD PG_URL FOLDER ADS_READ_PER_MINUTE BURST

Connects with the emulator's demo token and ``shared_budget=PG_URL`` (its ``ads_read`` rate set to
the emulator's scaled-down limit), prints ``ready``, waits for a line on stdin, syncs shard SHARD
(``i/n``) into a DuckDB file in FOLDER, and prints a JSON summary last.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    base_url, shard, shared, folder, per_minute, burst = argv[:6]
    import pintools as pt
    from pintools.emulator import DEMO_ACCESS_TOKEN
    from pintools.http.ratelimit import Rate

    client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url, quiet=True, shared_budget=shared,
                        rate_limits={"ads_read": Rate(per_minute=float(per_minute), burst=int(burst))})
    print("ready", flush=True)
    sys.stdin.readline()
    name = shard.replace("/", "_of_")
    result = pt.sync(shard=shard, levels=["campaign"], history_days=30, progress=False, client=client,
                     destination=f"{folder}/{name}.duckdb", pipelines_dir=f"{folder}/pipelines_{name}",
                     pipeline_name=f"shard_{name}")
    print(json.dumps({"status": result.status, "accounts": list(result.accounts)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
