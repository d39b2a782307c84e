# shellcheck shell=bash
# Idempotent installation of the test harness's dependencies: Debian packages
# and a Python virtualenv with Selenium. Sourced after common.sh.

APT_PACKAGES=(postgresql chromium chromium-driver libreoffice-writer-nogui poppler-utils wrk nmap)
SELENIUM_SPEC='selenium>=4.20,<5'

deb_installed() { # deb_installed PKG -> 0 if fully installed
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii"* ]]
}

# ensure_apt_packages PKG...: install the missing ones; `apt-get update` runs
# once and only if something is missing. Output goes to a log file that is
# printed only on failure.
ensure_apt_packages() {
    local missing=() p log
    for p in "$@"; do
        deb_installed "$p" || missing+=("$p")
    done
    if (( ${#missing[@]} == 0 )); then
        info "Debian packages already installed: $*"
        return 0
    fi
    info "installing Debian packages: ${missing[*]}"
    log="$LOG_DIR/apt.log"
    export DEBIAN_FRONTEND=noninteractive
    local apt_opts=(-q -o DPkg::Lock::Timeout=900 -o Dpkg::Use-Pty=0)
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update >"$log" 2>&1 </dev/null; then
        warn "apt-get update failed; last lines of $log:"
        tail -n 30 "$log" >&2
        return 1
    fi
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" >>"$log" 2>&1 </dev/null; then
        warn "apt-get install failed; last lines of $log:"
        tail -n 40 "$log" >&2
        return 1
    fi
    for p in "${missing[@]}"; do
        if ! deb_installed "$p"; then
            warn "package $p still not installed after apt-get install (see $log)"
            return 1
        fi
    done
    info "installed: ${missing[*]}"
}

venv_selenium_ok() { # venv_selenium_ok PYTHON
    "$1" - <<'PY' >/dev/null 2>&1
import sys
import selenium
major, minor = (int(x) for x in selenium.__version__.split(".")[:2])
sys.exit(0 if (4, 20) <= (major, minor) < (5, 0) else 1)
PY
}

# ensure_venv DIR: a virtualenv at DIR with Selenium 4.20+ (<5).
ensure_venv() {
    local venv=$1 py="$1/bin/python" base_py
    if [[ -x "$py" ]] && venv_selenium_ok "$py"; then
        info "virtualenv $venv already has $("$py" -c 'import selenium; print("selenium", selenium.__version__)')"
        return 0
    fi
    # A venv whose interpreter no longer runs (moved, Python upgraded): start over.
    if [[ -e "$venv" ]] && ! "$py" -c 'pass' >/dev/null 2>&1; then
        info "removing broken virtualenv $venv"
        rm -rf "$venv"
    fi
    if [[ ! -x "$py" ]]; then
        base_py=python3
        if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
            # Debian's python3 needs python3-venv for `-m venv`.
            ensure_apt_packages python3-venv || return 1
            base_py=/usr/bin/python3
        fi
        info "creating virtualenv $venv with $($base_py --version 2>&1)"
        "$base_py" -m venv "$venv" </dev/null || { warn "python3 -m venv failed"; return 1; }
    fi
    info "installing '$SELENIUM_SPEC' into $venv"
    if ! "$py" -m pip install -q --disable-pip-version-check "$SELENIUM_SPEC" </dev/null; then
        warn "pip install $SELENIUM_SPEC failed"
        return 1
    fi
    venv_selenium_ok "$py" || { warn "selenium not importable after install"; return 1; }
    info "$("$py" -c 'import selenium; print("selenium", selenium.__version__)') ready"
}

# ensure_ref_venv DIR: a virtualenv with the reference tools of the detection agreement checks and
# benchmarks: the Rust `evtx` parser and pySigma with its SQLite backend and Windows pipelines (the
# pipelines declare an older pySigma but work with 2.0.1, so they go in without their dependencies).
REF_SPECS=(evtx==0.14.0 orjson pySigma==2.0.1 pySigma-backend-sqlite==2.1.1)
REF_NODEPS=(pysigma-pipeline-sysmon==2.0.0 pysigma-pipeline-windows==2.0.1)
ensure_ref_venv() {
    local venv=$1 py="$1/bin/python"
    local probe='import evtx, orjson, sigma.backends.sqlite, sigma.pipelines.sysmon, sigma.pipelines.windows'
    if [[ -x "$py" ]] && "$py" -c "$probe" >/dev/null 2>&1; then
        info "reference tools already in $venv"
        return 0
    fi
    [[ -e "$venv" ]] && ! "$py" -c 'pass' >/dev/null 2>&1 && rm -rf "$venv"
    if [[ ! -x "$py" ]]; then
        python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || ensure_apt_packages python3-venv || return 1
        python3 -m venv "$venv" </dev/null || { warn "python3 -m venv $venv failed"; return 1; }
    fi
    info "installing the reference tools into $venv: ${REF_SPECS[*]} ${REF_NODEPS[*]}"
    "$py" -m pip install -q --disable-pip-version-check "${REF_SPECS[@]}" </dev/null || { warn "pip install ${REF_SPECS[*]} failed"; return 1; }
    "$py" -m pip install -q --disable-pip-version-check --no-deps "${REF_NODEPS[@]}" </dev/null || { warn "pip install ${REF_NODEPS[*]} failed"; return 1; }
    "$py" -c "$probe" || { warn "the reference tools do not import"; return 1; }
}
