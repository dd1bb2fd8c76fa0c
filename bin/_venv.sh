# Shared by bin/demo and bin/test: find Python 3.11+, make .venv, install the pinned set.
# Sourced, not run. Re-installs only when requirements/dev.lock or pyproject.toml change.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BUURTKRACHT_VENV:-$root/.venv}"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  local python stamp wanted
  if [ ! -x "$VENV/bin/python" ]; then
    python="$(find_python)" || {
      echo "Buurtkracht needs Python 3.11 or newer. On Debian: apt-get install python3" >&2; exit 1; }
    if ! "$python" -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing python3-venv (Debian keeps venv apart from Python)…"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        "$python" -m venv "$VENV"
      else
        echo "Python cannot make a virtual environment. On Debian: sudo apt-get install python3-venv" >&2
        exit 1
      fi
    fi
  fi
  stamp="$VENV/.buurtkracht-installed"
  wanted="$(cat "$root/requirements/dev.lock" "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing the pinned Python packages into $VENV (first run takes a minute)…"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements/dev.lock"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$root"
    echo "$wanted" > "$stamp"
  fi
}
