"""Where a sync loads: a dlt pipeline bound to a destination and dataset.

``destination``:

- ``None``: a DuckDB file at :func:`~pintools.warehouse.settings.default_duckdb_path` (nothing to set up);
- a path ending ``.duckdb`` (or a :class:`~pathlib.Path`): that DuckDB file;
- a ``postgresql://`` URL: PostgreSQL with those credentials (without a password in the URL:
  ``$PGPASSWORD``, else an empty one, for which libpq reads ``~/.pgpass`` or the server trusts the user);
- any other text: a dlt destination name (``"postgres"``, ``"bigquery"``, ``"snowflake"``,
  ``"filesystem"``, ``"motherduck"``…) configured the dlt way (``.dlt/secrets.toml`` or
  ``DESTINATION__<NAME>__CREDENTIALS`` variables);
- a dlt destination object.

The pipeline's working folder (dlt's local state and load packages) lives under
``$PINTOOLS_SYNC_DIR``, else ``$XDG_STATE_HOME/pintools/sync``, else ``~/.local/state/pintools/sync``;
its name is derived from the destination and dataset (and the shard, ``..._shard_2_of_5``: each
shard keeps its own state), so two warehouses never share state.
pintools turns dlt's anonymous telemetry off (``RUNTIME__DLTHUB_TELEMETRY=false``) unless it is
set already: a library should not phone home on its users' behalf.

>>> describe_destination("postgresql://loader:s3cret@db.example:5432/ads")
'postgres:postgresql://loader:***@db.example:5432/ads'
>>> pipeline_name_for("postgres:postgresql://loader:***@db.example:5432/ads", "pinterest_ads")
'pintools_sync_88fd64a6'
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..postgres_url import is_postgres_url, redact
from .settings import default_duckdb_path

DEFAULT_DATASET = "pinterest_ads"


def describe_destination(destination: Any) -> str:
    """A one-line description of a destination, secrets masked (for logs, reprs and errors).

    >>> describe_destination("bigquery"), describe_destination("/data/ads.duckdb")
    ('bigquery', 'duckdb:/data/ads.duckdb')
    """
    if destination is None:
        return f"duckdb:{default_duckdb_path()}"
    if isinstance(destination, Path) or (isinstance(destination, str) and destination.endswith((".duckdb", ".db"))):
        return f"duckdb:{Path(destination).expanduser()}"
    if isinstance(destination, str):
        if is_postgres_url(destination):
            return f"postgres:{redact(destination)}"
        return destination
    return getattr(destination, "destination_name", None) or type(destination).__name__


def duckdb_file(destination: Any) -> Path | None:
    """The DuckDB file ``destination`` names (None for other destinations).

    >>> duckdb_file("/data/ads.duckdb"), duckdb_file("bigquery")
    (PosixPath('/data/ads.duckdb'), None)
    """
    if destination is None:
        return default_duckdb_path()
    if isinstance(destination, Path) or (isinstance(destination, str) and destination.endswith((".duckdb", ".db"))):
        return Path(destination).expanduser()
    return None


def pipeline_name_for(description: str, dataset: str) -> str:
    """``pintools_sync_`` + 8 hex digits of the destination's description and the dataset.

    >>> pipeline_name_for("bigquery", "ads") != pipeline_name_for("bigquery", "ads_eu")
    True
    """
    return "pintools_sync_" + hashlib.sha1(f"{description}|{dataset}".encode()).hexdigest()[:8]


def default_pipelines_dir() -> Path:
    """dlt's working folders for pintools syncs (see the module docstring).

    >>> default_pipelines_dir().name
    'sync'
    """
    from ..files import user_path

    return user_path("PINTOOLS_SYNC_DIR", "state", "sync")


#: pintools' choice for the DuckDB files it opens: DuckDB's default memory limit is 80 % of RAM, and
#: a run's merge grows to fit its rows (measured: 0.9 GB peak RSS to merge 1 M rows, 2.6 GB for a
#: 3.65 M-row sync); with a limit DuckDB spills to a temporary folder beside the file instead,
#: as fast there (0.4 GB for 1 M rows with 300 MB).
DUCKDB_CONFIG = {"memory_limit": "512MB"}


def dlt_destination(destination: Any) -> Any:
    """What ``dlt.pipeline(destination=...)`` takes for ``destination`` (see the module docstring).

    >>> dlt_destination("snowflake")
    'snowflake'
    """
    import dlt

    if destination is None or isinstance(destination, Path) or \
            (isinstance(destination, str) and destination.endswith((".duckdb", ".db"))):
        path = default_duckdb_path() if destination is None else Path(destination).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

        return dlt.destinations.duckdb(credentials=DuckDbCredentials(str(path), global_config=DUCKDB_CONFIG))
    if isinstance(destination, str) and is_postgres_url(destination):
        credentials: Any = destination
        if urlsplit(destination).password is None:  # dlt requires one; libpq reads ~/.pgpass for an empty one
            from dlt.destinations.impl.postgres.configuration import PostgresCredentials

            credentials = PostgresCredentials(destination)
            credentials.password = os.environ.get("PGPASSWORD", "")
        return dlt.destinations.postgres(credentials=credentials)
    return destination



def make_pipeline(destination: Any = None, dataset: str = DEFAULT_DATASET, *, pipeline_name: str | None = None,
                  pipelines_dir: str | Path | None = None, shard: str | None = None) -> Any:
    """The dlt pipeline of a sync (created, or attached to its working folder).

    >>> import tempfile; folder = tempfile.mkdtemp()
    >>> make_pipeline(f"{folder}/ads.duckdb", pipelines_dir=f"{folder}/dlt").dataset_name
    'pinterest_ads'
    """
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    import dlt

    if not isinstance(dataset, str) or not dataset.replace("_", "").isalnum():
        raise ValueError(f"dataset must be a plain name (letters, digits, _), got {dataset!r}")
    description = describe_destination(destination)
    folder = Path(pipelines_dir).expanduser() if pipelines_dir is not None else default_pipelines_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    derived = pipeline_name_for(description, dataset) + (f"_shard_{shard.replace('/', '_of_')}" if shard else "")
    return dlt.pipeline(pipeline_name=pipeline_name or derived,
                        pipelines_dir=str(folder), destination=dlt_destination(destination), dataset_name=dataset,
                        progress=None)
