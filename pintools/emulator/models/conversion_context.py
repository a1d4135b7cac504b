"""5.23.0's ``app_info`` and ``device_info`` objects of a Conversions API event, checked as the spec
declares them: optional objects, ``additionalProperties: false``, every field optional and plain (none
hashed), strings with a ``maxLength``, integers within ``minimum``/``maximum``, three enums and one
array of strings (``device_info.languages``, at most 100).

Example:
    >>> context_problems({"app_info": {"app_id": "429047995", "window_width": 40000},
    ...                   "device_info": {"form_factor": "phone", "colour": "red"}})[:2]
    ['app_info.window_width must be 0 to 30720', 'unknown field device_info.colour']
"""

from __future__ import annotations

#: name -> ("string", maxLength) | ("integer", (minimum, maximum or None)) | ("enum", values) |
#: ("array", maxItems), per object, as 5.23.0 declares them.
_S, _I = "string", "integer"
SCHEMAS: dict[str, dict[str, tuple]] = {
    "app_info": {
        "app_id": (_S, 200), "app_name": (_S, 200), "app_package_name": (_S, 200), "app_store": (_S, 100),
        "app_version": (_S, 100), "install_time": (_I, (0, None)), "user_agent": (_S, 16384),
        "window_height": (_I, (0, 30720)), "window_width": (_I, (0, 30720)),
    },
    "device_info": {
        "battery_level": (_I, (0, 100)), "brand": (_S, 100), "carrier": (_S, 100), "cpu_cores": (_I, (0, 1152)),
        "external_storage_free_space": (_I, (0, 1048576)), "external_storage_size": (_I, (0, 1048576)),
        "form_factor": ("enum", ("desktop", "laptop", "cellphone", "tablet", "smartwatch", "tv", "vr", "console",
                                 "other")),
        "kernel_version": (_S, 100), "languages": ("array", 100), "locale": (_S, 35), "model": (_S, 100),
        "network_type": ("enum", ("wifi", "cellular_2g", "cellular_3g", "cellular_4g", "cellular_5g", "cellular_6g",
                                  "ethernet", "unknown")),
        "os_family": ("enum", ("ios", "android", "macos", "windows", "linux", "bsd", "other")),
        "os_name": (_S, 100), "os_release_name": (_S, 100), "os_version": (_S, 100),
        "screen_density": (_I, (0, 100000)), "screen_height": (_I, (0, 30720)), "screen_width": (_I, (0, 30720)),
        "storage_free_space": (_I, (0, 1048576)), "storage_size": (_I, (0, 1048576)), "timezone": (_S, 40),
        "timezone_abbr": (_S, 5), "type": (_S, 100),
    },
}


def _value_problem(path: str, value, kind: str, limit) -> str | None:
    if kind in (_S, "enum"):
        if not isinstance(value, str):
            return f"{path} must be a string"
        if kind == "enum" and value not in limit:
            return f"{path} must be one of {', '.join(limit)}"
        if kind == _S and len(value) > limit:
            return f"{path} must be at most {limit} characters"
        return None
    if kind == "array":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{path} must be an array of strings"
        return f"{path} must hold at most {limit} items" if len(value) > limit else None
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{path} must be an integer"
    low, high = limit
    if value < low or (high is not None and value > high):
        return f"{path} must be {low} to {high}" if high is not None else f"{path} must be at least {low}"
    return None


def context_problems(event: dict) -> list[str]:
    """The problems of an event's ``app_info`` and ``device_info`` (absent objects have none).

    Example:
        >>> context_problems({"device_info": {"languages": ["en", "de"], "battery_level": 78}})
        []
    """
    problems: list[str] = []
    for name, schema in SCHEMAS.items():
        obj = event.get(name)
        if obj is None:
            continue
        if not isinstance(obj, dict):
            problems.append(f"{name} must be an object")
            continue
        extra = [f"{name}.{key}" for key in obj if key not in schema]
        if extra:
            problems.append(f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(extra)}")
        for key, value in obj.items():
            if key in schema:
                problem = _value_problem(f"{name}.{key}", value, *schema[key])
                if problem:
                    problems.append(problem)
    return problems
