# Sourced by .ci/run: start a throwaway PostgreSQL server on 127.0.0.1 for the store tests and export
# NEWSWEAVE_TEST_POSTGRES. Installs Debian's postgresql when it is missing. Stopped on exit.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PG_BIN" ]; then
    apt_install postgresql
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
PG_PORT=${PG_PORT:-54329}
PG_DIR=$(mktemp -d /tmp/newsweave-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && su postgres -s /bin/sh -c "$*"); else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
as_pg "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres --no-sync -E UTF8 >/dev/null"
as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -o '-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -F' start >/dev/null"
trap 'as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop" >/dev/null 2>&1 || true' EXIT
export NEWSWEAVE_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests at $NEWSWEAVE_TEST_POSTGRES"
