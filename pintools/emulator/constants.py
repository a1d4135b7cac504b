"""Fixed demo credentials and defaults of the emulator (cheap to import).

Example:
    >>> DEMO_ACCESS_TOKEN
    'emulator-demo-token'
"""

DEMO_ACCESS_TOKEN = "emulator-demo-token"
DEMO_APP_ID = "emulator-app-id"
DEMO_APP_SECRET = "emulator-app-secret"
DEMO_REFRESH_TOKEN = "emulator-refresh-token"
DEFAULT_SCOPE = "ads:read,ads:write,pins:read,user_accounts:read"  # every scope the served operations need
SPEC_ENV_VAR = "PINTOOLS_OPENAPI_SPEC"
#: A file every emulator process (embedded, in a notebook kernel, or ``pintools emulator serve``)
#: appends its spec violations to, one JSON object a line, when this variable names it.
VIOLATIONS_ENV_VAR = "PINTOOLS_SPEC_VIOLATIONS_LOG"
