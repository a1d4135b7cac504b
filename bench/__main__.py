"""Benchmarks: ``python -m bench NAME [--key value ...]`` prints one JSON object of figures.

Scenarios live in ``bench/<name>.py`` and expose ``run(**options) -> dict``.

    python -m bench entities            # read 5,000 ad groups from a scaled emulator
    python -m bench list                # the scenarios there are
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path


def scenarios() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", help="scenario name, or 'list'")
    parser.add_argument("options", nargs="*", help="key=value options passed to the scenario")
    args = parser.parse_args(argv)
    if args.name == "list":
        print("\n".join(scenarios()))
        return 0
    if args.name not in scenarios():
        print(f"unknown scenario {args.name!r}; there are: {', '.join(scenarios())}", file=sys.stderr)
        return 2
    options = {}
    for item in args.options:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"option {item!r} is not key=value")
        options[key] = json.loads(value) if value[:1].isdigit() or value in ("true", "false") else value
    module = importlib.import_module(f"bench.{args.name}")
    figures = module.run(**options)
    print(json.dumps({"scenario": args.name, **figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
