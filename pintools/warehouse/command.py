"""``pintools sync``: the command-line face of :func:`pintools.sync`.

    pintools sync [--account ID ...] [--shard I/N] [--levels campaign ad_group ...]
                  [--columns COL ...] [--click-window D] [--view-window D] [--engagement-window D]
                  [--report-time TIME_OF_AD_ACTION|TIME_OF_CONVERSION] [--restatement-days N]
                  [--history-days N] [--targeting TYPE ...] [--targeting-level LEVEL]
                  [--destination NAME|URL|FILE] [--dataset NAME] [--pipelines-dir DIR]
                  [--workers N] [--shared-budget URL] [--dry-run]

Exit codes: 0 every account synced; 3 some accounts could not be read (the others were synced;
the run log and the output name them); 1 the run failed and loaded nothing; 2 bad arguments.

>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> add_sync_parser(sub)
>>> parser.parse_args(["sync", "--shard", "2/5", "--dry-run"]).shard
'2/5'
"""

from __future__ import annotations

import argparse
import sys

from .runlog import EXIT_CODES, USAGE_EXIT
from .settings import DEFAULT_COLUMNS, DEFAULT_HISTORY_DAYS, ENTITIES, LEVELS


def _attribution(args: argparse.Namespace) -> dict:
    values = {"click_window_days": args.click_window, "engagement_window_days": args.engagement_window,
              "view_window_days": args.view_window, "conversion_report_time": args.report_time}
    return {k: v for k, v in values.items() if v is not None}


def run_sync(args: argparse.Namespace) -> int:
    """Run (or plan) a sync from parsed arguments; print the outcome; the exit code.

    >>> run_sync(build_parser().parse_args(["sync", "--dry-run"]))   # doctest: +SKIP
    0
    """
    import pintools as pt

    from ..http.errors import PinterestError
    from .pipeline import SyncFailed

    kwargs = dict(levels=args.levels, columns=args.columns, attribution=_attribution(args) or None,
                  restatement_days=args.restatement_days, history_days=args.history_days,
                  targeting_types=args.targeting or (), targeting_level=args.targeting_level,
                  entities=args.entities, shard=args.shard, destination=args.destination, dataset=args.dataset,
                  pipelines_dir=args.pipelines_dir, max_workers=args.workers, plan=args.dry_run,
                  progress=not args.no_progress)
    if args.shared_budget:
        kwargs["shared_budget"] = args.shared_budget
    try:
        outcome = pt.sync(args.account or None, **kwargs)
    except SyncFailed as exc:
        print(str(exc), file=sys.stderr)
        return exc.result.exit_code
    except (ValueError, TypeError) as exc:
        print(f"pintools sync: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except (PinterestError, ConnectionError) as exc:  # before the run: credentials, the shared budget's database
        print(f"pintools sync: nothing was synced: {exc}", file=sys.stderr)
        return EXIT_CODES["failed"]
    print(outcome)
    return 0 if args.dry_run else outcome.exit_code


def add_sync_parser(sub) -> None:
    """Add the ``sync`` subcommand to ``pintools``' subparsers.

    >>> p = argparse.ArgumentParser(); add_sync_parser(p.add_subparsers())
    >>> p.parse_args(["sync", "--levels", "ad", "--history-days", "30"]).history_days
    30
    """
    p = sub.add_parser("sync", help="sync ad accounts, entities and daily analytics into a warehouse (dlt; "
                                    "DuckDB by default)",
                       description="Exit codes: 0 ok, 3 some accounts not synced (others were), 1 failed, 2 bad usage.")
    p.add_argument("--account", nargs="+", help="ad account ids (default: every account the token reaches)")
    p.add_argument("--shard", help="I/N: sync shard I of N (accounts whose SHA-1 of the id modulo N is I-1)")
    p.add_argument("--levels", nargs="+", default=["campaign", "ad_group"], choices=LEVELS,
                   help="daily analytics tables (default: campaign ad_group)")
    p.add_argument("--columns", nargs="+", default=list(DEFAULT_COLUMNS),
                   help=f"Pinterest analytics columns (default: {' '.join(DEFAULT_COLUMNS)})")
    p.add_argument("--entities", nargs="*", default=list(ENTITIES), choices=ENTITIES,
                   help="entity tables to refresh (default: all; none with an empty list)")
    for flag in ("click", "engagement", "view"):
        p.add_argument(f"--{flag}-window", type=int, default=None, help=f"{flag} attribution window in days "
                                                                        "(default: Pinterest's)")
    p.add_argument("--report-time", choices=["TIME_OF_AD_ACTION", "TIME_OF_CONVERSION"], default=None)
    p.add_argument("--restatement-days", type=int, default=None,
                   help="days re-read every run (default: the click window + 2, at most 90)")
    p.add_argument("--history-days", type=int, default=DEFAULT_HISTORY_DAYS,
                   help=f"days backfilled on the first run (default {DEFAULT_HISTORY_DAYS}, at most 914)")
    p.add_argument("--targeting", nargs="+", help="targeting breakdowns (e.g. GENDER AGE_BUCKET) for "
                                                  "daily_<level>_targeting")
    p.add_argument("--targeting-level", default="ad_group", choices=["campaign", "ad_group", "ad"])
    p.add_argument("--destination", default=None, help="a .duckdb file, a postgresql:// URL, or a dlt destination "
                                                       "name (credentials the dlt way); default: the DuckDB file "
                                                       "~/.local/share/pintools/warehouse.duckdb")
    p.add_argument("--dataset", default="pinterest_ads", help="dataset (schema) name (default pinterest_ads)")
    p.add_argument("--pipelines-dir", default=None, help="dlt's working folder (default ~/.local/state/pintools/sync)")
    p.add_argument("--workers", type=int, default=4, help="calls in flight (the rate budget paces them; default 4)")
    p.add_argument("--shared-budget", default=None, help="a postgresql:// URL: share the rate budget with other "
                                                         "processes on the same token")
    p.add_argument("--dry-run", action="store_true", help="print the calls per rate category and the minutes they "
                                                          "need, then exit without loading")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_sync)
