"""A recipe's parameters checked the same way under plain papermill and ``pintools recipe run``.

Papermill only warns "Passed unknown parameter" and runs on the defaults; a recipe's first cell
after its parameters calls :func:`check_parameters` instead, which refuses a name the parameters
cell does not declare (suggesting the closest one), a value of the wrong type and a value outside
the recipe's choices. ``pintools recipe run`` calls :func:`check_names` and :func:`check_type`
before any cell runs, so both routes give the same message.

Each run writes into its own folder (:func:`new_run_folder`): ``<output_dir>/<UTC time>/`` with
``output_dir`` defaulting to ``out/<recipe>``; a second run in the same second gets ``-2``.

>>> check_names(["acounts"], ["accounts", "level"], "weekly_performance_report")   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pintools.recipe_params.ParameterError: recipe weekly_performance_report has no parameter 'acounts' (did you mean ...
>>> account_ids("549755023801, 549755024040")
['549755023801', '549755024040']
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

#: the header papermill writes on the cell it injects after the ``parameters`` cell
INJECTED_HEADER = "# Parameters"
#: parameters that also take a list (papermill ``-y``, Python) besides their annotated type
ALSO_LISTS = frozenset({"accounts"})
#: parameters recipes no longer take, and what replaced them
RENAMED = {"account_id": "accounts", "ad_account_id": "accounts"}
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


class ParameterError(ValueError):
    """A recipe parameter that is unknown, of the wrong type or outside its choices."""


def check_names(given: Iterable[str], declared: Iterable[str], recipe: str) -> None:
    """Refuse any name in ``given`` that ``declared`` lacks, naming the closest declared one.

    >>> check_names(["level"], ["accounts", "level"], "r")
    """
    declared = list(declared)
    unknown = [n for n in given if n not in declared]
    if not unknown:
        return
    parts = []
    for name in unknown:
        if RENAMED.get(name) in declared:
            parts.append(f"{name!r} (replaced by {RENAMED[name]!r}: one id, ids separated by commas, or all)")
            continue
        close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    raise ParameterError(f"recipe {recipe} has no parameter {', '.join(parts)}; it takes: {', '.join(declared)}")


def type_name(annotation: Any) -> str:
    """The name of a parameter's annotation (a type, or papermill's inferred text).

    >>> type_name(int), type_name("float")
    ('int', 'float')
    """
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))


def check_type(name: str, value: Any, annotation: Any) -> None:
    """Refuse ``value`` unless it is of the parameter's annotated type (an int passes as float;
    a bool is never a number; ``accounts`` also takes a list of ids).

    >>> check_type("days", 7, int)
    >>> check_type("days", "7", "int")
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: parameter days must be int, got '7' (str)
    """
    wanted = type_name(annotation)
    kind = _TYPES.get(wanted)
    if kind is None:
        return
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if name in ALSO_LISTS and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        ok = True
    if not ok:
        raise ParameterError(f"parameter {name} must be {wanted}, got {value!r} ({type(value).__name__})")


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> None:
    """Refuse a value that is not one of ``choices``, naming the closest one.

    >>> check_choice("level", "adgroup", ["campaign", "ad_group", "ad"])   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: parameter level must be one of campaign, ad_group, ad, got 'adgroup' (did ...
    """
    choices = list(choices)
    if value in choices:
        return
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ParameterError(f"parameter {name} must be one of {', '.join(map(str, choices))}, got {value!r}{hint}")


def check_range(name: str, value: float, low: float | None = None, high: float | None = None) -> None:
    """Refuse a number outside ``low`` .. ``high`` (exclusive bounds; ``None``: unbounded).

    >>> check_range("max_ctr", 0.6, 0, 1)
    >>> check_range("max_ctr", 6, 0, 1)
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: parameter max_ctr must be above 0 and below 1, got 6
    """
    if (low is None or value > low) and (high is None or value < high):
        return
    bounds = " and ".join(t for t in (f"above {low}" if low is not None else "",
                                      f"below {high}" if high is not None else "") if t)
    raise ParameterError(f"parameter {name} must be {bounds}, got {value!r}")


def check_date(name: str, value: str) -> None:
    """Refuse text that is neither empty nor a ``YYYY-MM-DD`` date.

    >>> check_date("start_date", "2026-11-02")
    >>> check_date("start_date", "02/11/2026")
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: parameter start_date must be a date as YYYY-MM-DD (or empty), got '02/11/2026'
    """
    if not value:
        return
    try:
        dt.date.fromisoformat(value)
        if len(value) == 10:
            return
    except ValueError:
        pass
    raise ParameterError(f"parameter {name} must be a date as YYYY-MM-DD (or empty), got {value!r}")


def injected_names(namespace: Mapping[str, Any]) -> list[str]:
    """The names papermill assigned in the cell it injected, read from the kernel's input
    history (``In``); empty when the notebook runs without injected parameters.

    >>> injected_names({"In": ["", "x: int = 1", '# Parameters\\nx = 2\\ncolour = "red"\\n']})
    ['x', 'colour']
    """
    for source in reversed(list(namespace.get("In") or [])):
        if source.lstrip().startswith(INJECTED_HEADER):
            tree = ast.parse(source)
            return [t.id for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)]
    return []


def check_parameters(namespace: MutableMapping[str, Any], recipe: str, *,
                     choices: Mapping[str, Iterable[Any]] | None = None) -> None:
    """Check a recipe's parameters in its kernel: pass ``globals()`` right after the parameters cell.

    The declared parameters are the annotated names of the parameters cell (``__annotations__``);
    the given ones, the names papermill injected. Unknown names, wrong types and values outside
    ``choices`` raise :class:`ParameterError`. A text parameter papermill's command line read as a
    whole number (``-p accounts 549755023801``, ``-p form 7765300022461``: ids) is put back as
    its text in ``namespace``.

    >>> ns = {"__annotations__": {"level": str}, "level": "ad", "colour": "red",
    ...       "In": ["", '# Parameters\\nlevel = "ad"\\ncolor = "red"']}
    >>> check_parameters(ns, "r", choices={"level": ["campaign", "ad"]})
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: recipe r has no parameter 'color'; it takes: level
    """
    declared = dict(namespace.get("__annotations__") or {})
    check_names(injected_names(namespace), declared, recipe)
    for name, annotation in declared.items():
        value = namespace[name]
        if type_name(annotation) == "str" and isinstance(value, int) and not isinstance(value, bool):
            namespace[name] = value = str(value)  # an id papermill read as a number
        check_type(name, value, annotation)
    for name, allowed in (choices or {}).items():
        check_choice(name, namespace[name], allowed)


def account_ids(accounts: str | Iterable[str]) -> list[str] | None:
    """The ad account ids ``accounts`` names: one id, ids separated by commas, or a list;
    ``None`` for ``"all"`` (every account the credentials see).

    >>> account_ids("all"), account_ids(["549755023801"])
    (None, ['549755023801'])
    """
    items = [accounts] if isinstance(accounts, str) else list(accounts)
    ids = [part.strip() for item in items for part in str(item).split(",") if part.strip()]
    if [i.lower() for i in ids] == ["all"]:
        return None
    bad = [i for i in ids if not i.isdigit()]
    if bad or not ids:
        raise ParameterError(f"parameter accounts must be 'all', an ad account id or ids separated by commas "
                             f"(digits only), got {accounts!r}")
    return list(dict.fromkeys(ids))


def select_accounts(accounts: str | Iterable[str], known: Any) -> Any:
    """The rows of ``known`` (a :func:`pintools.read_ad_accounts` frame) that ``accounts`` names,
    in the order named; every row for ``"all"``. An id the credentials do not see is refused.

    >>> import pandas as pd
    >>> known = pd.DataFrame({"id": ["1", "2"], "currency": ["USD", "GBP"]})
    >>> select_accounts("2", known).currency.tolist()
    ['GBP']
    >>> select_accounts("3,1", known)
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: parameter accounts: no ad account 3 among those the credentials see (1, 2)
    """
    ids = account_ids(accounts)
    if ids is None:
        return known.reset_index(drop=True)
    missing = [i for i in ids if i not in set(known["id"])]
    if missing:
        raise ParameterError(f"parameter accounts: no ad account {', '.join(missing)} among those the credentials "
                             f"see ({', '.join(known['id'])})")
    return known.set_index("id", drop=False).loc[ids].reset_index(drop=True)


def run_stamp(now: dt.datetime | None = None) -> str:
    """A run folder's name: the UTC time to the second, ``2026-12-04T140501Z``.

    >>> run_stamp(dt.datetime(2026, 12, 4, 14, 5, 1, tzinfo=dt.timezone.utc))
    '2026-12-04T140501Z'
    """
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")


def new_run_folder(recipe: str, output_dir: str | Path = "", run_folder: str | Path = "") -> Path:
    """Create and return this run's folder.

    ``run_folder`` given (``pintools recipe run`` does): that folder, which must be new or
    empty. Otherwise ``<output_dir>/<UTC time>/``, with ``output_dir`` defaulting to
    ``out/<recipe>``; a folder of the same second gets ``-2``, ``-3``… so runs never overwrite
    each other.

    >>> new_run_folder("weekly", "/tmp/runs").parent                 # doctest: +SKIP
    PosixPath('/tmp/runs')
    """
    if run_folder:
        folder = Path(run_folder)
        folder.mkdir(parents=True, exist_ok=True)
        if any(p for p in folder.iterdir() if p.suffix != ".ipynb"):
            raise ParameterError(f"parameter run_folder {str(folder)!r} already holds files: give a new folder "
                                 "(or leave run_folder empty for a new timestamped one)")
        return folder
    root = Path(output_dir) if output_dir else Path("out") / recipe
    root.mkdir(parents=True, exist_ok=True)
    stamp, n = run_stamp(), 1
    while True:
        folder = root / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            n += 1
