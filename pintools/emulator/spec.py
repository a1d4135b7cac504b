"""Optional OpenAPI validation of emulator traffic against Pinterest's spec: v5.23.0, the version
pintools targets (the test suite's default), or v5.12.0 (still loads and patches the same way).

Enabled by ``spec_path=`` or the ``PINTOOLS_OPENAPI_SPEC`` environment variable. The spec is
read once per process and path (cached), patched in memory for the known spec bugs below,
then used to validate every ``/v5`` request (invalid → 400 in Pinterest's shape) and every
``/v5`` response body (a mismatch is recorded as a spec violation and logged).

In-memory patches (the file on disk is never changed):
1. ``servers``: add ``/v5`` so ``http://127.0.0.1:PORT/v5/...`` matches (the spec names only
   ``https://api.pinterest.com/v5``).
2. ``TargetingSpec``: the key ``AUDIENCE_INCLUDE'`` becomes ``AUDIENCE_INCLUDE`` (digest §17 #1).
3. ``TargetingSpec.AUDIENCE_*``: drop ``minItems: 100`` on the string items (§17 #2).
4. ``OauthAccessTokenResponse.response_type``: add ``integration_refresh`` and
   ``everlasting_refresh``, which its own discriminator mapping names (§17 #16).
5. A schema that says ``nullable: true`` around a single ``allOf: [$ref]`` whose target is not
   nullable becomes ``anyOf: [$ref, null]``. Under OAS 3.0.3 the inner schema still forbids
   null, which contradicts the wrapper's evident intent (e.g.
   ``AdGroupCommon.optimization_goal_metadata``, null for non-conversion ad groups).
6. Batch results: ``data`` of ``CampaignCreateResponseItem``, ``AdGroupArrayResponseElement`` and
   ``AdArrayResponseElement``, and the latter's single ``exceptions`` object, become nullable —
   a failed item carries ``data: null`` (digest §6), a successful ad ``exceptions: null``.
7. ``Keyword.archived/id/parent_id/parent_type`` become nullable: the keywords operations'
   own verbatim failure example puts nulls there inside ``KeywordError.data`` (5.12.0 declares
   them on ``Keyword`` itself, 5.23.0 in an inline ``allOf`` member beside ``KeywordsCommon``).
8. ``query_attribution_types`` (targeting analytics) becomes an array of
   ``ConversionReportAttributionType``: 5.12.0 declares a single enum value with
   ``explode: false``, while a comma list is what the style implies (digest §17 #6).
9. ``DATE`` of the sync analytics rows (``AdAccountAnalyticsResponse``, ``CampaignsAnalyticsResponse``,
   ``AdGroupsAnalyticsResponse``, ``AdsAnalyticsResponse``, ``ProductGroupAnalyticsResponse``) loses
   ``format: date``: HOUR rows carry
   ``YYYY-MM-DD HH:MM:SS``, a format the spec leaves undefined (digest §17 #14).

Deliberately not patched: ``BulkUpsertStatusResponse`` does not forbid additional properties, so
the emulator's ``details`` extension on ``bulk_request/get`` (``include_details=true``, digest §17 #8)
validates as it is; a RUNNING answer leaves out ``result_url`` (a non-nullable string).

Array query parameters whose schema is a ``$ref`` (e.g. ``L1InterestList``) are resolved before
re-encoding, so both encodings validate for them too.

Example:
    >>> patched = patch_spec({"servers": [{"url": "https://api.pinterest.com/v5"}], "paths": {},
    ...                       "components": {"schemas": {}}})
    >>> [s["url"] for s in patched["servers"]]
    ['/v5', 'https://api.pinterest.com/v5']
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
from pathlib import Path

from pintools.emulator.constants import SPEC_ENV_VAR

log = logging.getLogger("pintools.emulator.spec")

_CACHE: dict[str, "SpecValidator"] = {}
_CACHE_LOCK = threading.Lock()
_ITEM_SCHEMAS = ("CampaignCreateResponseItem", "AdGroupArrayResponseElement", "AdArrayResponseElement")
_ANALYTICS_ROWS = ("AdAccountAnalyticsResponse", "CampaignsAnalyticsResponse", "AdGroupsAnalyticsResponse",
                   "AdsAnalyticsResponse", "ProductGroupAnalyticsResponse")


def resolve_spec_path(spec_path: str | os.PathLike | bool | None = None) -> str | None:
    """The spec file to validate against: the argument, else ``$PINTOOLS_OPENAPI_SPEC``, else None.
    ``spec_path=False`` (or ``""``) turns validation off even when the environment variable is set.

    Example:
        >>> resolve_spec_path("/tmp/spec.json")
        '/tmp/spec.json'
        >>> resolve_spec_path(False) is None
        True
    """
    if spec_path is False or spec_path == "":
        return None
    chosen = spec_path if spec_path else os.environ.get(SPEC_ENV_VAR)
    return str(chosen) if chosen else None


def _schemas(spec: dict) -> dict:
    return spec.setdefault("components", {}).setdefault("schemas", {})


_NULL_ONLY = {"nullable": True, "enum": [None]}


def _nullable_ref(ref: str) -> list:
    """``anyOf`` branches accepting the referenced schema or null."""
    return [{"$ref": ref}, dict(_NULL_ONLY)]


def _open_nullable_allof(node, schemas: dict) -> None:
    """Patch 5: ``{nullable: true, allOf: [$ref]}`` → ``{nullable: true, anyOf: [$ref, null]}``."""
    if isinstance(node, dict):
        all_of = node.get("allOf")
        if node.get("nullable") is True and isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
            target = schemas.get(all_of[0]["$ref"].rsplit("/", 1)[-1])
            if isinstance(target, dict) and not target.get("nullable"):
                node["anyOf"] = _nullable_ref(node.pop("allOf")[0]["$ref"])
        for value in list(node.values()):
            _open_nullable_allof(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _open_nullable_allof(value, schemas)


def patch_spec(spec: dict) -> dict:
    """A patched deep copy of the spec (the numbered patches of the module doc)."""
    spec = copy.deepcopy(spec)
    spec["servers"] = [{"url": "/v5"}] + [s for s in spec.get("servers", []) if s.get("url") != "/v5"]
    schemas = _schemas(spec)
    targeting = schemas.get("TargetingSpec", {}).get("properties", {})
    if "AUDIENCE_INCLUDE'" in targeting:
        targeting["AUDIENCE_INCLUDE"] = targeting.pop("AUDIENCE_INCLUDE'")
    for key in ("AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE"):
        items = targeting.get(key, {}).get("items")
        if isinstance(items, dict):
            items.pop("minItems", None)
    response_type = schemas.get("OauthAccessTokenResponse", {}).get("properties", {}).get("response_type")
    if response_type and "enum" in response_type:
        for extra in ("integration_refresh", "everlasting_refresh"):
            if extra not in response_type["enum"]:
                response_type["enum"].append(extra)
    _open_nullable_allof(schemas, schemas)
    for name in _ITEM_SCHEMAS:
        props = schemas.get(name, {}).get("properties", {})
        for key in ("data", "exceptions") if name == "AdArrayResponseElement" else ("data",):
            if "$ref" in props.get(key, {}):
                props[key] = {"nullable": True, "anyOf": _nullable_ref(props[key]["$ref"])}
    keyword = schemas.get("Keyword", {})
    for part in (keyword, *(p for p in keyword.get("allOf", []) if isinstance(p, dict))):
        for key in ("archived", "id", "parent_id", "parent_type"):
            prop = part.get("properties", {}).get(key)
            if isinstance(prop, dict):
                prop["nullable"] = True
    attribution = spec.get("components", {}).get("parameters", {}).get("query_attribution_types")
    if isinstance(attribution, dict) and attribution.get("schema", {}).get("type") != "array":
        attribution["schema"] = {"type": "array", "items": attribution.get("schema", {"type": "string"})}
    for name in _ANALYTICS_ROWS:
        date_prop = schemas.get(name, {}).get("items", {}).get("properties", {}).get("DATE")
        if isinstance(date_prop, dict):
            date_prop.pop("format", None)
    return spec


class _Request:
    """The request protocol openapi-core reads (host, path, method, parameters, body)."""

    def __init__(self, method, path, query_pairs, headers, body, content_type):
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.host_url = "http://127.0.0.1/"
        self.path = path
        self.method = method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query_pairs), header=Headers(headers or {}), cookie=ImmutableMultiDict()
        )
        self.body = body
        self.content_type = content_type or "application/octet-stream"

    @property
    def full_url_pattern(self) -> str:
        return self.host_url.rstrip("/") + self.path


class _Response:
    def __init__(self, status: int, data: bytes, content_type: str):
        from werkzeug.datastructures import Headers

        self.status_code = status
        self.data = data
        self.content_type = content_type
        self.headers = Headers()


def describe(exc: BaseException) -> str:
    """A short human reason from an openapi-core validation error and its causes.

    Example:
        >>> describe(ValueError("bad"))
        'bad'
    """
    head = str(exc) or type(exc).__name__
    parts = [head if len(head) <= 300 else head[:300] + "…"]  # it may quote a whole body: reasons first
    cause = exc.__cause__
    depth = 0
    while cause is not None and depth < 4:
        errors = getattr(cause, "schema_errors", None)
        if errors:
            parts.extend(_schema_error_text(e) for e in list(errors)[:5])
            break
        text = str(cause)
        if text and text not in parts and len(text) < 300:
            parts.append(text)
        cause = cause.__cause__
        depth += 1
    return "; ".join(parts)[:1000]


def _schema_error_text(error) -> str:
    message = getattr(error, "message", str(error))
    where = "/".join(str(p) for p in getattr(error, "absolute_path", ()) or ())
    return f"{where}: {message}" if where else message


class SpecValidator:
    """Validates emulator requests and responses against the patched spec.

    Example:
        >>> validator = SpecValidator.from_file("/work/shared/reference/pinterest-openapi-v5.12.0.json")  # doctest: +SKIP
        >>> validator.response_errors("GET", "/v5/ad_accounts", 200, b'{"items": []}')  # doctest: +SKIP
        []
    """

    def __init__(self, raw_spec: dict):
        from jsonschema_path import SchemaPath
        from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
        from openapi_core.validation.response.validators import V30ResponseDataValidator

        self.raw = raw_spec
        self.patched = patch_spec(raw_spec)
        schema = SchemaPath.from_dict(self.patched)
        self._params = V30RequestParametersValidator(schema)
        self._body = V30RequestBodyValidator(schema)
        self._response = V30ResponseDataValidator(schema)
        self._styles: dict[tuple[str, str], dict[str, bool]] = {}

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "SpecValidator":
        """Read a spec JSON file (uncached; see :func:`get_validator`)."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def _array_styles(self, method: str, template: str) -> dict[str, bool]:
        """Array query parameters of an operation → explode? (True = repeated keys)."""
        key = (method.lower(), template)
        if key not in self._styles:
            params = []
            item = self.patched.get("paths", {}).get(template, {})
            params.extend(item.get("parameters", []))
            params.extend(item.get(method.lower(), {}).get("parameters", []))
            styles = {}
            for param in params:
                if "$ref" in param:
                    param = self.patched["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
                schema = param.get("schema", {})
                if "$ref" in schema:
                    schema = self.patched["components"]["schemas"].get(schema["$ref"].rsplit("/", 1)[-1], {})
                if param.get("in") == "query" and schema.get("type") == "array":
                    styles[param["name"]] = bool(param.get("explode", param.get("style", "form") == "form"))
            self._styles[key] = styles
        return self._styles[key]

    def _normalise_query(self, method: str, template: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Re-encode array parameters the way the spec declares them (we accept both forms)."""
        styles = self._array_styles(method, template)
        out: list[tuple[str, str]] = []
        joined: dict[str, list[str]] = {}
        for name, value in pairs:
            if name in styles:
                parts = [p for p in value.split(",") if p != ""]
                if styles[name]:
                    out.extend((name, p) for p in parts)
                else:
                    joined.setdefault(name, []).extend(parts)
            else:
                out.append((name, value))
        out.extend((name, ",".join(values)) for name, values in joined.items())
        return out

    def request_errors(self, method, path, template, query_pairs, body, content_type) -> list[str]:
        """Reasons why a request breaks the spec (parameters and body; security is ours)."""
        request = _Request(method, path, self._normalise_query(method, template, query_pairs), {}, body,
                           content_type)
        errors = [describe(e) for e in self._params.iter_errors(request)]
        if method.upper() in ("POST", "PUT", "PATCH"):
            errors.extend(describe(e) for e in self._body.iter_errors(request))
        return errors

    def response_errors(self, method: str, path: str, status: int, data: bytes,
                        content_type: str = "application/json") -> list[str]:
        """Reasons why a response body breaks the spec."""
        request = _Request(method, path, [], {}, b"", "application/json")
        return [describe(e) for e in self._response.iter_errors(request, _Response(status, data, content_type))]


def get_validator(spec_path: str | os.PathLike) -> SpecValidator:
    """The process-wide validator of a spec file (loaded and patched once per path).

    Example:
        >>> get_validator("/work/shared/reference/pinterest-openapi-v5.12.0.json")  # doctest: +SKIP
        <pintools.emulator.spec.SpecValidator object at ...>
    """
    key = str(Path(spec_path).resolve())
    with _CACHE_LOCK:
        if key not in _CACHE:
            if not Path(key).is_file():
                raise FileNotFoundError(f"OpenAPI spec not found: {key}")
            _CACHE[key] = SpecValidator.from_file(key)
        return _CACHE[key]
