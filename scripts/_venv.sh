# Sourced by scripts/demo.sh and scripts/test.sh: make .venv (once) and install pintools into it.
# Needs only Python 3.11+; on Debian it installs python3-venv itself when running as root.
# Usage: source scripts/_venv.sh EXTRAS   (e.g. "" or "notebooks,test")

PY=${PYTHON:-python3}
VENV=${PINTOOLS_VENV:-.venv}
extras=${1:-}

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "pintools needs Python 3.11 or newer as '$PY' (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "installing Debian's python3-venv (needed for virtual environments)..." >&2
            ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            apt-get update -qq && { apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv; } >/dev/null
            "$PY" -m venv "$VENV"
        else
            echo "could not create a virtual environment: install python3-venv (sudo apt-get install python3-venv)" >&2
            exit 1
        fi
    fi
fi

spec="."
[ -n "$extras" ] && spec=".[$extras]"
stamp="$VENV/.pintools-installed-$(echo "$extras" | tr ',' '-')"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec" 2>&1 | grep -v "is ignored" >&2 || true
    "$VENV/bin/python" -c "import pintools" || { echo "pip install of pintools failed" >&2; exit 1; }
    touch "$stamp"
fi
