"""In-memory tables of the emulator: records by id, parent→children indexes, id allocation, and
a count of successful API writes per entity id (creates count 1, each update 1; demo data 0).

Records are plain dicts in the spec's response shape; keys starting with ``_`` are private
bookkeeping and never rendered. Ids are numeric strings that only grow (digest §19 lengths),
so "higher id = more recently added" holds as the spec's ``order`` text says.

Example:
    >>> store = Store(seed=1)
    >>> first, second = store.new_id("campaign"), store.new_id("campaign")
    >>> len(first), int(second) > int(first)
    (12, True)
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

# Bases give realistic widths: accounts/campaigns/ads 12 digits, ad groups/keywords 13 (§19).
ID_BASES = {
    "ad_account": 549_755_000_000,
    "campaign": 626_735_000_000,
    "ad_group": 2_680_060_000_000,
    "ad": 687_195_000_000,
    "keyword": 2_886_364_000_000,
    "conversion_tag": 2_612_345_000_000,
    "product_group_promotion": 2_680_059_000_000,  # spec example "2680059592705"
}
# Kinds whose id steps come from their own random stream, so creating them (demo data included)
# leaves every other kind's ids exactly as before.
OWN_STEPS = ("product_group_promotion",)


class Store:
    """All entity tables and indexes. Not thread-safe by itself: the state lock guards it.

    Example:
        >>> s = Store(seed=0); s.add("campaigns", {"id": "1"}, ("campaigns", "acct"))
        >>> s.children("campaigns", "acct")
        ['1']
    """

    TABLES = ("accounts", "campaigns", "ad_groups", "ads", "keywords", "product_group_promotions")

    def __init__(self, seed: int = 0):
        self.tables: dict[str, dict[str, dict]] = {name: {} for name in self.TABLES}
        self._index: dict[tuple[str, str], list[str]] = defaultdict(list)
        rng = random.Random(f"ids:{seed}")
        self._id_rng = random.Random(f"id-steps:{seed}")
        self._own_rngs = {kind: random.Random(f"id-steps:{kind}:{seed}") for kind in OWN_STEPS}
        self._counters = {kind: base + rng.randrange(0, 90_000) for kind, base in ID_BASES.items()}
        self._pin_rng = random.Random(f"pins:{seed}")
        self.writes: Counter[str] = Counter()

    @property
    def accounts(self) -> dict[str, dict]:
        return self.tables["accounts"]

    @property
    def campaigns(self) -> dict[str, dict]:
        return self.tables["campaigns"]

    @property
    def ad_groups(self) -> dict[str, dict]:
        return self.tables["ad_groups"]

    @property
    def ads(self) -> dict[str, dict]:
        return self.tables["ads"]

    @property
    def keywords(self) -> dict[str, dict]:
        return self.tables["keywords"]

    def new_id(self, kind: str) -> str:
        """The next id of a kind (increasing, with realistic gaps)."""
        self._counters[kind] += self._own_rngs.get(kind, self._id_rng).randrange(1, 400)
        return str(self._counters[kind])

    def new_pin_id(self) -> str:
        """A random 18-digit Pin id (Pins are not emulated entities, only referenced)."""
        return str(self._pin_rng.randrange(10**17, 10**18))

    def count_write(self, record_id: str) -> None:
        """Count one successful API write (create or update) of an entity.

        Example:
            >>> s = Store(); s.count_write("7"); s.count_write("7"); s.writes["7"]
            2
        """
        self.writes[record_id] += 1

    def add(self, table: str, record: dict, *index_keys: tuple[str, str]) -> None:
        """Insert a record and list its id under each ``(index name, parent id)``."""
        self.tables[table][record["id"]] = record
        for key in index_keys:
            self._index[key].append(record["id"])

    def children(self, index: str, parent_id: str) -> list[str]:
        """Ids listed under ``(index, parent_id)``, in insertion (= id) order."""
        return list(self._index.get((index, parent_id), ()))

    def move(self, index: str, record_id: str, old_parent: str, new_parent: str) -> None:
        """Re-file an id from one parent to another within an index."""
        ids = self._index.get((index, old_parent))
        if ids and record_id in ids:
            ids.remove(record_id)
        self._index[(index, new_parent)].append(record_id)
