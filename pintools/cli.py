"""The ``pintools`` command. Each subcommand only wraps a library function.

    pintools demo [--out DIR] [--seed N]          tables and a chart from the built-in emulator
    pintools emulator serve [--port N] [...]      run the emulator as a process
    pintools emulator routes                      implemented operations vs the OpenAPI spec
    pintools plan SPREADSHEET --account ID        a checked edit plan from a CSV/XLSX
    pintools apply PLAN --yes                     apply a plan file, with a journal
    pintools resume JOURNAL                       finish an interrupted apply
    pintools rollback PLAN                        the inverse of an applied plan
    pintools recipe list | run NAME -p KEY VALUE  parameterised notebooks, headless, into a run folder
    pintools auth login [--profile P] [--port N]  get tokens through Pinterest's OAuth page
    pintools auth status [--profile P]            the stored credentials' scopes and expiries
    pintools auth conversion-token [--profile P]  store a conversion token for the Conversions API
    pintools sync [--dry-run] [--shard I/N] [...]  ad accounts and daily analytics into a warehouse (dlt)

>>> main(["demo", "--out", "/tmp/pintools-demo"])   # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _demo(args: argparse.Namespace) -> int:
    import pandas as pd

    import pintools as pt
    from pintools import plots
    from pintools.emulator import start

    server = start(seed=args.seed, clock=args.clock)
    try:
        client = pt.connect(emulator=server, quiet=True)
        print(f"pintools demo: the built-in Pinterest API emulator at {server.base_url} (seed {args.seed}).")
        print("Set PINTEREST_ACCESS_TOKEN and use pt.connect() in Python to work on a real ad account.\n")
        with pd.option_context("display.width", 140, "display.max_columns", 12, "display.max_colwidth", 36):
            accounts = pt.read_ad_accounts(client=client)
            print("Ad accounts")
            print(accounts[["id", "name", "country", "currency"]].to_string(index=False), "\n")
            account = accounts.iloc[0]
            campaigns = pt.read_campaigns(account["id"], statuses="all", client=client)
            print(f"Campaigns of {account['name']} ({account['currency']})")
            cols = ["id", "name", "objective_type", "status", "is_campaign_budget_optimization"]
            shown = campaigns[cols].rename(columns={"is_campaign_budget_optimization": "cbo"})
            print(shown.to_string(index=False), "\n")
            groups = pt.read_ad_groups(account["id"], client=client)
            view = pt.in_currency_units(groups)
            print(f"Ad groups (active and paused): {len(groups)}")
            print(view[["name", "status", "budget_type", "budget", "bid", "billable_event"]]
                  .head(12).to_string(index=False), "\n")
            budgets = plots.daily_budget_by_campaign(campaigns, groups)
            print("Daily budget by campaign")
            print(budgets[["name", "cbo", "daily_budget", "currency"]].to_string(index=False), "\n")
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        chart = out / "demo_budgets.png"
        plots.budgets_by_campaign(campaigns, groups, title=f"{account['name']}: daily budget by campaign") \
            .savefig(chart, dpi=110)
        print(f"Chart written to {chart}")
    finally:
        server.stop()
    return 0


def _emulator_serve(args: argparse.Namespace) -> int:
    from pintools.emulator import serve

    serve(port=args.port, host=args.host, seed=args.seed, scale=args.scale, clock=args.clock)
    return 0


def _emulator_routes(args: argparse.Namespace) -> int:
    from pintools.emulator import coverage

    report = coverage(args.spec)
    for line in report["lines"]:
        print(line)
    return 0


def _plan(args: argparse.Namespace) -> int:
    from pintools.plans.review import plan_text
    from pintools.plans.spreadsheet import from_spreadsheet

    out = Path(args.out or Path(args.spreadsheet).with_suffix(".plan.json"))
    if out.is_dir():  # said before anything is read, not after the plan is made
        name = Path(args.spreadsheet).with_suffix(".plan.json").name
        raise IsADirectoryError(f"--out {out} is a folder: pass the plan file's name, e.g. --out {out / name}")
    plan = from_spreadsheet(args.spreadsheet, ad_account_id=args.account).validate()
    print(plan_text(plan, limit=args.limit))
    plan.to_file(out)
    print(f"\nPlan written to {out}. Review it, then: pintools apply {out} --yes")
    return 0


def _apply(args: argparse.Namespace) -> int:
    from pintools.plans import EditPlan
    from pintools.plans.review import plan_text

    plan = EditPlan.read(args.plan)
    if not args.yes:
        shown = plan if plan.validation is not None else plan.validate()
        print(plan_text(shown, limit=args.limit))
        print("\nNothing was sent. Add --yes to apply these changes.")
        return 2
    applied = plan.apply(method=args.method, chunk_size=args.chunk_size)
    return _report(applied, Path(args.plan))


def _report(applied, source: Path) -> int:
    """Print the applied plan and where its results went; 0 only when every sent row applied."""
    from pintools.plans.review import plan_text

    print(plan_text(applied))
    out = applied.to_file(source.with_name(source.stem.removesuffix(".plan") + ".applied.json"))
    counts = applied.counts()
    print(f"\n{applied.headline()}. Results: {out}. Journal: {applied.journal}. Undo: pintools rollback {out}")
    if counts.get("unknown"):
        print(f"{counts['unknown']} row(s) could not be decided: read their message, then pintools resume "
              f"{applied.journal}")
    return 0 if not (counts.get("failed") or counts.get("unknown")) else 1


def _resume(args: argparse.Namespace) -> int:
    from pintools.plans import resume

    applied = resume(args.journal, recreate_missing=args.recreate_missing)
    return _report(applied, Path(args.journal).with_suffix(".json"))


def _rollback(args: argparse.Namespace) -> int:
    from pintools.plans import EditPlan
    from pintools.plans.review import plan_text

    inverse = EditPlan.read(args.plan).rollback().validate()
    out = Path(args.out or Path(args.plan).with_name(Path(args.plan).stem + ".rollback.plan.json"))
    inverse.to_file(out)
    print(plan_text(inverse, limit=args.limit))
    print(f"\nRollback plan written to {out}. Apply it with: pintools apply {out} --yes")
    return 0


def _recipe_list(args: argparse.Namespace) -> int:
    from pintools.recipes import list_recipes

    for r in list_recipes().itertuples():
        print(f"{r.name}\n    {r.title}\n    parameters: {r.parameters}")
    return 0


def _recipe_run(args: argparse.Namespace) -> int:
    """Exit codes: 0 the recipe ran; 2 a bad parameter or recipe name (nothing ran, or the
    recipe's check cell refused it); 1 a cell failed (the partial notebook is in the run folder)."""
    from pintools.recipes import RecipeFailed, run_recipe

    if args.output_dir and args.output_dir.endswith(".ipynb"):
        print(f"pintools: --output-dir is the folder that holds the run folders, not a notebook: "
              f"--output-dir {Path(args.output_dir).parent} (the executed notebook goes into the run folder)",
              file=sys.stderr)
        return 2
    try:
        path = run_recipe(args.name, dict(args.p or []), output_dir=args.output_dir)
    except RecipeFailed as exc:
        print(f"pintools: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"pintools: {exc}", file=sys.stderr)
        return 2
    report = path.parent / "report.html"
    print(f"Recipe {args.name} ran; its files are in {path.parent}/"
          + (f" (report: {report.name})" if report.exists() else ""))
    return 0


def _leads_serve(args: argparse.Namespace) -> int:
    from pintools.leads.keys import KeyFile
    from pintools.leads.receiver import serve
    from pintools.leads.store_postgres import open_store

    store, keys = open_store(args.db), KeyFile(args.keys)
    print(f"pintools: receiving leads on http://{args.host}:{args.port}{args.path} with {len(keys.entries())} key(s) "
          f"from {keys.path} (followed: keys added later are used at once); store {store.path}. "
          "Put HTTPS in front: Pinterest only posts to https:// URLs.", file=sys.stderr)
    serve(store, keys, host=args.host, port=args.port, path=args.path)
    return 0


def _leads_reprocess(args: argparse.Namespace) -> int:
    from pintools.leads.keys import KeyFile
    from pintools.leads.store_postgres import open_store

    counts = open_store(args.db).reprocess(KeyFile(args.keys).keyring())
    print(", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "nothing to reprocess")
    return 0


def _leads_status(args: argparse.Namespace) -> int:
    from pintools.leads.store_postgres import open_store

    with open_store(args.db) as store:
        counts, held = store.counts(), store.conflicts()
        print(f"store {store.path}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    for h in held:  # ids and times only: answers are personal data
        what = ("carries the ciphertext of stored lead" if h["kind"] == "replay"
                else "arrived with other answers than stored lead")
        print(f"  {h['kind']}: lead {h['dedupe_key']} (delivery {h['delivery_id']}, {h['held_at']}) {what} "
              f"{h['held_against']}")
    if held:
        print("Look at them with pintools.read_leads(store, conflicts=True).")
    if counts["rejected_deliveries"]:
        print("Rejected bodies are kept: LeadStore.deliveries('rejected').")
    return 0


def _add_auth(sub) -> None:
    """``pintools auth login | status | conversion-token``: get tokens through Pinterest's OAuth flow; show what is stored."""

    def login(args: argparse.Namespace) -> int:
        import webbrowser

        from pintools.auth_login import login

        scopes = [s for part in args.scopes or [] for s in part.replace(",", " ").split()] or None
        login(profile=args.profile, port=args.port, app_id=args.app_id, base_url=args.base_url,
              timeout=args.timeout, open_browser=None if args.no_browser else webbrowser.open,
              **({"scopes": scopes} if scopes else {}))
        return 0

    def status(args: argparse.Namespace) -> int:
        from pintools.auth_status import auth_status

        print(auth_status(profile=args.profile))
        return 0

    def conversion_token(args: argparse.Namespace) -> int:
        from pintools import config
        from pintools.conversions.token import obtain_conversion_token

        obtain_conversion_token(profile=args.profile)
        settings = config.load_settings(profile=args.profile)
        print(f"Conversion token stored in profile [{settings.profile}] of {settings.config.path} (for "
              f"{settings.base_url}). Clients of this profile send conversions with it; a conversion_token= "
              f"argument or $PINTEREST_CONVERSION_TOKEN still takes precedence.")
        return 0

    auth = sub.add_parser("auth", help="get Pinterest tokens (OAuth) and show the stored credentials")
    auth_sub = auth.add_subparsers(dest="auth_command", required=True)
    log_in = auth_sub.add_parser("login", help="authorize pintools in the browser; store the tokens in a profile")
    log_in.add_argument("--scopes", nargs="+", help="OAuth scopes (default: ads:read ads:write pins:read "
                                                    "user_accounts:read)")
    log_in.add_argument("--port", type=int, default=0, help="loopback port of the redirect URI (default: a free "
                                                            "one; register http://127.0.0.1:PORT/ in your app)")
    log_in.add_argument("--no-browser", action="store_true", help="print the authorization URL, open nothing")
    log_in.add_argument("--app-id", help="your Pinterest app's id (default: $PINTEREST_APP_ID or the profile's); "
                                         "the secret comes from $PINTEREST_APP_SECRET, the profile or a prompt")
    log_in.add_argument("--base-url", help="production (default), sandbox, or an emulator's URL "
                                           "(e.g. http://127.0.0.1:8765/v5)")
    log_in.add_argument("--timeout", type=float, default=300, help="seconds to wait for the browser (default 300)")
    log_in.set_defaults(func=login)
    show = auth_sub.add_parser("status", help="profile, scopes and expiries of the credentials (never a token)")
    show.set_defaults(func=status)
    capi = auth_sub.add_parser("conversion-token", help="get a long-lived conversion token (oauth/conversion_token) "
                                                        "and store it in the profile (never printed)")
    capi.set_defaults(func=conversion_token)
    for p in (log_in, show, capi):
        p.add_argument("--profile", default=None, help="profile name (default: $PINTOOLS_PROFILE or 'default')")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pintools", description="Pinterest Ads from pandas and JupyterLab.")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="print demo tables and write a chart, on the built-in emulator")
    demo.add_argument("--out", default="out", help="folder for the chart PNG (default: ./out)")
    demo.add_argument("--seed", type=int, default=42, help="demo data seed (default 42)")
    demo.add_argument("--clock", default="2026-11-15T12:00:00Z",
                      help="the emulator's frozen clock (ISO time or Unix seconds; default 2026-11-15 12:00 UTC)")
    demo.set_defaults(func=_demo)

    emu = sub.add_parser("emulator", help="the local Pinterest API emulator")
    emu_sub = emu.add_subparsers(dest="emulator_command", required=True)
    serve = emu_sub.add_parser("serve", help="serve the emulator until interrupted")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1); anything else warns "
                       "that the unauthenticated control plane /_emulator becomes reachable")
    serve.add_argument("--seed", type=int, default=42)
    serve.add_argument("--scale", type=float, default=1)
    serve.add_argument("--clock", default=None)
    serve.set_defaults(func=_emulator_serve)
    routes = emu_sub.add_parser("routes", help="list implemented operations against the OpenAPI spec")
    routes.add_argument("--spec", default=None,
                        help="path to Pinterest's OpenAPI JSON (default: $PINTOOLS_OPENAPI_SPEC)")
    routes.set_defaults(func=_emulator_routes)

    plan = sub.add_parser("plan", help="turn a CSV/XLSX of changes into a checked edit plan file")
    plan.add_argument("spreadsheet")
    plan.add_argument("--account", required=True, help="the ad account id")
    plan.add_argument("--out", help="plan file (default: SPREADSHEET.plan.json)")
    plan.add_argument("--limit", type=int, default=60, help="changes to print")
    plan.set_defaults(func=_plan)

    apply = sub.add_parser("apply", help="apply a plan file (checks guardrails again first)")
    apply.add_argument("plan")
    apply.add_argument("--yes", action="store_true", help="really send the changes")
    apply.add_argument("--method", choices=["bulk", "patch"], default=None,
                       help="bulk upsert jobs or PATCH batch calls (default: bulk; patch in Pinterest's sandbox)")
    apply.add_argument("--chunk-size", type=int, default=None)
    apply.add_argument("--limit", type=int, default=60)
    apply.set_defaults(func=_apply)

    resume = sub.add_parser("resume", help="finish an interrupted apply from its journal")
    resume.add_argument("journal")
    resume.add_argument("--recreate-missing", action="store_true",
                        help="create again what a bulk request with no recorded id was to create, once you have "
                             "checked in Ads Manager that it does not exist")
    resume.set_defaults(func=_resume)

    rollback = sub.add_parser("rollback", help="write the inverse of an applied plan as a new plan file")
    rollback.add_argument("plan")
    rollback.add_argument("--out")
    rollback.add_argument("--limit", type=int, default=60)
    rollback.set_defaults(func=_rollback)

    recipe = sub.add_parser("recipe", help="parameterised notebooks, run headless")
    recipe_sub = recipe.add_subparsers(dest="recipe_command", required=True)
    recipe_sub.add_parser("list", help="the recipes and their parameters").set_defaults(func=_recipe_list)
    run = recipe_sub.add_parser("run", help="run a recipe with papermill")
    run.add_argument("name")
    run.add_argument("-p", nargs=2, action="append", metavar=("KEY", "VALUE"), help="a parameter (repeatable)")
    run.add_argument("--output-dir", "--output", dest="output_dir", metavar="DIR",
                     help="folder for the run folders (default: the output_dir parameter, else out/NAME); each run "
                          "writes all its files and the executed notebook into DIR/<UTC time>/. Exit code 0 ok, "
                          "2 bad parameters, 1 a cell failed")
    run.set_defaults(func=_recipe_run)

    _add_auth(sub)

    from pintools.warehouse.command import add_sync_parser

    add_sync_parser(sub)

    leads = sub.add_parser("leads", help="the lead ads webhook receiver")
    leads_sub = leads.add_subparsers(dest="leads_command", required=True)
    serve_leads = leads_sub.add_parser("serve", help="receive, decrypt and store Pinterest lead webhooks")
    serve_leads.add_argument("--host", default="127.0.0.1")
    serve_leads.add_argument("--port", type=int, default=8080)
    serve_leads.add_argument("--path", default="/pinterest/leads")
    for p in (serve_leads, leads_sub.add_parser("reprocess", help="decrypt quarantined leads with the current keys")):
        p.add_argument("--db", default=None, help="a postgresql:// URL, or a SQLite file "
                                                  "(default: $PINTOOLS_LEADS_DB or ~/.local/state/pintools/leads.sqlite3)")
        p.add_argument("--keys", default=None, help="subscription key file (default: ~/.config/pintools/lead_keys.json)")
    status_leads = leads_sub.add_parser("status", help="count stored, quarantined and held leads; list held ones")
    status_leads.add_argument("--db", default=None, help="the store (as for serve)")
    serve_leads.set_defaults(func=_leads_serve)
    leads_sub.choices["reprocess"].set_defaults(func=_leads_reprocess)
    status_leads.set_defaults(func=_leads_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pintools`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a readable line, not a traceback, for known failures
        from pintools.http.errors import PinterestError
        from pintools.plans.errors import PlanError

        if isinstance(exc, (PinterestError, PlanError, ValueError, OSError)):
            print(f"pintools: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
