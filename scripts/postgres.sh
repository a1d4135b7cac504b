# Sourced by scripts/test.sh: a throwaway PostgreSQL for tests/leads/test_store_postgres.py.
#
#   source scripts/postgres.sh      # exports PINTOOLS_TEST_POSTGRES_URL (unless already set)
#   ...run tests...
#   pintools_postgres_stop          # also registered as the shell's EXIT trap
#
# If PINTOOLS_TEST_POSTGRES_URL is already set, nothing happens. Otherwise it installs Debian's
# postgresql when root (quietly; tolerated if it fails), then runs initdb + pg_ctl in a temp dir,
# listening on 127.0.0.1 on a free port, as the `postgres` user (or the current user if not root),
# and creates the database pintools_test.
# Sets PINTOOLS_POSTGRES_SETUP=ok, or =failed:<reason> (one line on stderr; the tests then skip
# naming the reason). Never fails the calling shell.

_pintools_pg_fail() {
    echo "scripts/postgres.sh: no test PostgreSQL: $1 (PostgreSQL tests will be skipped)" >&2
    export PINTOOLS_POSTGRES_SETUP="failed:$1"
    [ -n "${_PINTOOLS_PG_DIR:-}" ] && rm -rf "$_PINTOOLS_PG_DIR"
    _PINTOOLS_PG_DIR=
    return 0
}

_pintools_pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

_pintools_pg_as() {  # run a command as the cluster's owner
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pintools_postgres_stop() {
    if [ -n "${_PINTOOLS_PG_DIR:-}" ] && [ -d "$_PINTOOLS_PG_DIR/data" ]; then
        _pintools_pg_as "$_PINTOOLS_PG_BIN/pg_ctl" -D "$_PINTOOLS_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$_PINTOOLS_PG_DIR"
    fi
    _PINTOOLS_PG_DIR=
    return 0
}

_pintools_pg_start() {
    [ -n "${PINTOOLS_TEST_POSTGRES_URL:-}" ] && return 0
    local bin port dir
    if ! bin=$(_pintools_pg_bindir); then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "installing Debian's postgresql (for the PostgreSQL lead-store tests)..." >&2
            { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
                || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
            } >/dev/null 2>&1 || true
        fi
        bin=$(_pintools_pg_bindir) || { _pintools_pg_fail "PostgreSQL is not installed (no initdb; apt-get install postgresql)"; return 0; }
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        _pintools_pg_fail "running as root but there is no 'postgres' user to run the server"; return 0
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) \
        || { _pintools_pg_fail "could not find a free port"; return 0; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pintools-pg.XXXXXX") || { _pintools_pg_fail "mktemp failed"; return 0; }
    _PINTOOLS_PG_DIR=$dir
    _PINTOOLS_PG_BIN=$bin
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    _pintools_pg_as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { _pintools_pg_fail "initdb failed: $(tail -n 1 "$dir/initdb.log" 2>/dev/null)"; return 0; }
    _pintools_pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1 \
        || { _pintools_pg_fail "server did not start: $(tail -n 1 "$dir/server.log" 2>/dev/null)"; return 0; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pintools_test >/dev/null 2>"$dir/createdb.log" \
        || { local why; why=$(tail -n 1 "$dir/createdb.log"); pintools_postgres_stop; _pintools_pg_fail "createdb failed: $why"; return 0; }
    export PINTOOLS_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/pintools_test"
    export PINTOOLS_POSTGRES_SETUP=ok
    trap pintools_postgres_stop EXIT
}

_pintools_pg_start
