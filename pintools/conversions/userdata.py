"""The ``user_data`` columns of a prepared frame: hashed fields (normalised and SHA-256 hashed by
:mod:`~pintools.conversions.hashing`, in worker processes when ``workers`` > 1) and plain ones.

Hashing is most of the work of :func:`~pintools.conversions.prepare.prepare_conversions`
(every email and phone number is distinct). With ``workers=n`` each hashed column is cut into
slices: ``n - 1`` worker processes hash most of it (forked on Linux, so the slices are inherited
rather than sent; elsewhere spawned, so a script passing ``workers`` needs the
``if __name__ == "__main__":`` guard) while this process prepares the other columns, then hashes
the small slice it kept. Workers send back plain lists (:func:`hash_slice`), never pandas objects.
Results are the same as with one worker; columns under :data:`MIN_ROWS_PER_WORKER` distinct
values stay in-process.

>>> from pintools.conversions.hashing import sha256_hex
>>> df = pd.DataFrame({"email": ["A@b.co", "c@d.co"]})
>>> columns, cpu = hash_user_data(df, {"user_data.em": ["email"]}, "US", Issues(df.index))
>>> columns["user_data.em"].tolist() == [sha256_hex("a@b.co"), sha256_hex("c@d.co")], cpu
(True, 0.0)
"""

from __future__ import annotations

import multiprocessing
import sys
import time

import numpy as np
import pandas as pd

from .checks import Issues, label
from .dtypes import TEXT
from .fields import FIELDS, HASHED
from .hashing import PROBLEMS, assemble, hashed_lists, normalise_and_hash, normalise_country
from .values import ID_FIELDS, id_cell, id_column, plain, text_values

#: Below this many rows per worker, hashing stays in this process (starting workers costs more).
MIN_ROWS_PER_WORKER = 50_000
PLAIN_PATHS = ("user_data.client_ip_address", "user_data.client_user_agent", "user_data.click_id",
               "user_data.partner_id")


def hash_user_data(df: pd.DataFrame, sources: dict[str, list[str]], default_region: str, issues: Issues,
                   workers: int = 1) -> tuple[dict[str, pd.Series], float]:
    """``({user_data path: column}, CPU seconds spent in worker processes)`` for the mapped fields.

    A row with several values for a field (two email columns, a list cell) gets a tuple of the
    distinct hashes; a value that cannot be normalised is left out with a warning.
    """
    with UserData(df, sources, default_region, issues, workers) as pending:
        return pending.finish()


class UserData:
    """User data being hashed: started on creation (worker processes get their slices at once),
    so that the caller can prepare the other columns meanwhile; :meth:`finish` gives the columns."""

    #: The share of hashing this process keeps when it has workers (it also prepares the rest).
    OWN_SHARE = 0.2

    def __init__(self, df: pd.DataFrame, sources: dict[str, list[str]], default_region: str, issues: Issues,
                 workers: int = 1) -> None:
        self.df, self.sources, self.default_region, self.issues = df, sources, default_region, issues
        regions = None
        if "user_data.country" in sources:
            # the region of a national phone number is the row's country as user_data.country reads it
            countries = text_values(df[sources["user_data.country"][0]])
            codes = {v: (normalise_country(v) or "").upper() or None for v in countries.dropna().unique()}
            regions = countries.map(codes).astype(TEXT)
        self.jobs, self.distinct = [], []
        for name in HASHED:
            for column in sources.get("user_data." + name, []):
                values = df[column]
                if (values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) != "string"  # all text: no lists
                        and values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any()):
                    values = values.explode()
                if "user_data." + name in ID_FIELDS:  # a customer id from a number column: "1001", not "1001.0"
                    values = (id_column(values, issues, label("user_data." + name, column))
                              if values.index.equals(df.index) else values.map(lambda v: id_cell(v)[0]))
                rows = regions.reindex(values.index) if regions is not None and name == "ph" else None
                self.jobs.append((name, column, values, rows))
                self.distinct.append(_distinct(values, rows))  # each distinct value (and region) hashed once
        largest = max((len(d[0]) for d in self.distinct), default=0)
        self.workers = max(0, min(int(workers) - 1, largest // MIN_ROWS_PER_WORKER))
        self.own, self.processes = [], []
        shares: list[list] = [[] for _ in range(self.workers)]  # per worker process: its slice of each job
        for (name, _, _, _), (values, rows, _, _) in zip(self.jobs, self.distinct, strict=True):
            own = len(values) if not self.workers else int(len(values) * self.OWN_SHARE)
            bounds = np.linspace(own, len(values), self.workers + 1).astype(int)
            self.own.append((values.iloc[:own], None if rows is None else rows.iloc[:own]))
            for worker, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
                shares[worker].append((values.iloc[start:stop], name, None if rows is None else rows.iloc[start:stop],
                                       default_region))
        if self.workers:
            # fork on Linux: instant, the slices are inherited (not copied through a pipe), and the
            # user's script is not run again (spawn, the default elsewhere, re-imports __main__: a
            # script then needs `if __name__ == "__main__":`)
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
            for tasks in shares:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_hash_in_worker, args=(sender, tasks), daemon=True)
                process.start()
                sender.close()
                self.processes.append((process, receiver))

    def __enter__(self) -> UserData:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop worker processes still running (after an error) and close their pipes."""
        for process, receiver in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
            receiver.close()
        self.processes = []

    def finish(self) -> tuple[dict[str, pd.Series], float]:
        """``({user_data path: column}, CPU seconds spent in worker processes)``."""
        firsts = [normalise_and_hash(values, name, regions=rows, default_region=self.default_region, notes=True)
                  for (values, rows), (name, _, _, _) in zip(self.own, self.jobs, strict=True)]
        replies, cpu = [], 0.0
        for process, receiver in self.processes:
            try:
                answers, seconds = receiver.recv(), receiver.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"a hashing worker process ended without an answer (exit code "
                                   f"{process.exitcode}); prepare with workers=1") from None
            if isinstance(answers, BaseException):
                raise answers
            replies.append(answers)
            cpu += seconds
        self.close()
        results = []
        for j, (first, (_, _, inverse, index)) in enumerate(zip(firsts, self.distinct, strict=True)):
            name = self.jobs[j][0]
            rest = [assemble(hashes, rows, name, notes) for hashes, rows, notes in (reply[j] for reply in replies)]
            parts = [pd.concat([first[i], *(r[i] for r in rest)]) if rest else first[i] for i in range(3)]
            if inverse is not None:
                parts = [pd.Series(part.array.take(inverse), index=index) for part in parts]
            results.append(tuple(parts))  # (hashes, problems, notes)
        out: dict[str, pd.Series] = {}
        for name in HASHED:
            mine = [(job, result) for job, result in zip(self.jobs, results, strict=True) if job[0] == name]
            if mine:
                out["user_data." + name] = _combine(self.df, name, mine, self.issues)
        for path in PLAIN_PATHS:
            if path in self.sources:
                column = self.sources[path][0]
                out[path] = plain(self.df[column], path, FIELDS[path].kind, self.issues, label(path, column))
        return out, cpu


def _distinct(values: pd.Series, rows: pd.Series | None):
    """``(distinct values, their regions, inverse positions or None, original index)``: columns of
    few distinct values (names, cities, countries) are normalised once per value."""
    sample = values.iloc[:2000]
    if len(values) < 2000 or sample.nunique(dropna=False) > len(sample) // 2:
        return values, rows, None, values.index  # mostly distinct (emails, phones): nothing to gain
    inverse, distinct = pd.factorize(values, use_na_sentinel=False)
    if rows is not None:
        region_codes, regions = pd.factorize(rows, use_na_sentinel=False)
        inverse, distinct = pd.factorize(inverse.astype(np.int64) * (len(regions) + 1) + region_codes)
    first = np.empty(len(distinct), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # the first row of each distinct value
    return values.iloc[first], None if rows is None else rows.iloc[first], inverse, values.index


def hash_slice(values: pd.Series, name: str, regions: pd.Series | None, default_region: str):
    """A worker's answer for one slice: ``(hashes, index, notes)`` as plain lists and the index
    (:func:`~pintools.conversions.hashing.hashed_lists`; no pandas objects to send back).

    >>> hashes, index, notes = hash_slice(pd.Series(["a@b.co"], index=[7]), "em", None, "US")
    >>> len(hashes[0]), list(index), notes
    (64, [7], None)
    """
    hashes, notes = hashed_lists(values, name, regions=regions, default_region=default_region)
    return hashes, values.index, notes


def _hash_in_worker(sender, tasks: list) -> None:
    """A worker process: hash each ``(values, name, regions, default_region)``, send the answers,
    then this process's CPU seconds (an error is sent in place of the answers)."""
    try:
        sender.send([hash_slice(*task) for task in tasks])
    except BaseException as error:  # noqa: BLE001 - the parent raises it
        sender.send(error)
    sender.send(time.process_time())
    sender.close()


def _combine(df: pd.DataFrame, name: str, mine: list, issues: Issues) -> pd.Series:
    """One field's column from the hashes of each of its source columns."""
    parts = []
    for (_, column, values, _), (hashes, problems, notes) in mine:
        refused = problems.notna()
        if refused.any():
            rows = df.index.isin(values.index[refused.to_numpy()])
            issues.warn(rows, f"{label('user_data.' + name, column)} {PROBLEMS[name]}; left out")
        cleaned = notes.notna().to_numpy()
        if cleaned.any():  # what was removed before hashing (an email's mailto:, invisible characters…)
            by_row = notes[cleaned].groupby(level=0, sort=False).agg("; ".join).reindex(df.index)
            where = label("user_data." + name, column)
            issues.warn(by_row.notna(), lambda rows, by_row=by_row, where=where:
                        [f"{where}: {note} before hashing" for note in by_row[rows]])
        if len(mine) == 1 and not values.index.has_duplicates:
            return hashes
        parts.append(hashes.dropna())
    long = pd.concat(parts) if len(parts) > 1 else parts[0]
    if not long.index.has_duplicates:
        return long.reindex(df.index)
    long = long[~pd.DataFrame({"row": long.index, "hash": long.to_numpy()}).duplicated().to_numpy()]
    if not long.index.has_duplicates:
        return long.reindex(df.index)
    grouped = long.groupby(level=0, sort=False).agg(tuple)
    single = grouped.map(len) == 1
    grouped[single] = grouped[single].map(lambda t: t[0])
    return grouped.reindex(df.index).astype(object)
