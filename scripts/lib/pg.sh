# shellcheck shell=bash
# A throwaway PostgreSQL cluster from Debian's packages, for tests only:
# trust auth, loopback only, fsync off. Sourced after common.sh.
#
#   pg_start            sets PG_DIR PG_PORT PG_URL (database ungcuu_test)
#   pg_stop             idempotent; safe to call from an EXIT trap
#
# Everything lives in one `mktemp -d` directory: data/, sock/, postgres.log.

PG_DIR=""
PG_PORT=""
PG_URL=""
PG_BINDIR=""
PG_DB=${PG_DB:-ungcuu_test}

pg_find_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -z "$d" || ! -x "$d/initdb" || ! -x "$d/pg_ctl" ]]; then
        warn "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (is the postgresql package installed?)"
        return 1
    fi
    PG_BINDIR=$d
}

# as_pg CMD...: run CMD as the `postgres` OS user (initdb refuses root), from
# a directory that user can read.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

pg_start() {
    pg_find_bindir || return 1
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ungcuu-pg.XXXXXX") || return 1
    mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
    if [[ $(id -u) -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            warn "OS user 'postgres' does not exist"
            return 1
        fi
        chown -R postgres:postgres "$PG_DIR"
    fi
    chmod 700 "$PG_DIR"

    info "initdb ($("$PG_BINDIR/postgres" --version)) into $PG_DIR/data"
    if ! as_pg "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U postgres -A trust \
            -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 </dev/null; then
        warn "initdb failed:"
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi

    # A free port can be taken between probing and binding: retry a few times.
    local attempt port
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        info "starting PostgreSQL on 127.0.0.1:$port (attempt $attempt)"
        if as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
                -o "-p $port -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
                start >"$PG_DIR/pg_ctl.log" 2>&1 </dev/null; then
            PG_PORT=$port
            break
        fi
        warn "pg_ctl start failed; server log:"
        tail -n 20 "$PG_DIR/postgres.log" >&2 2>/dev/null || true
        as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 </dev/null || true
    done
    [[ -n "$PG_PORT" ]] || return 1

    if ! as_pg "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB" </dev/null; then
        warn "createdb $PG_DB failed"
        return 1
    fi
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
    info "PostgreSQL ready: $PG_URL"
}

pg_stop() {
    [[ -n "$PG_DIR" ]] || return 0
    local dir=$PG_DIR pid
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        info "stopping PostgreSQL (port ${PG_PORT:-?})"
        if ! as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 </dev/null; then
            as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w -t 15 stop >/dev/null 2>&1 </dev/null || true
        fi
        if [[ -f "$dir/data/postmaster.pid" ]]; then
            pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            if [[ "$pid" =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$dir"
    PG_DIR=""
    PG_PORT=""
    PG_URL=""
}

pg_print_log_tail() {
    [[ -n "$PG_DIR" && -f "$PG_DIR/postgres.log" ]] || return 0
    log "--- last lines of the PostgreSQL server log:"
    tail -n "${1:-40}" "$PG_DIR/postgres.log"
}
