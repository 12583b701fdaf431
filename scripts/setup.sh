#!/usr/bin/env bash
# Prepares a fresh machine (or CI runner) to build and test rolehop.
# Idempotent: every step checks first and installs only what is missing, so a
# second run changes nothing. Runs without a terminal (CI=true).
#   npm dependencies (npm ci when node_modules is missing or out of date)
#   moto 5.2.1 + flask + flask-cors, boto3 and the AWS CLI v1 (pip)
#   gnome-keyring, dbus, wrk (apt-get; for keychain tests and benchmarks)
#   zsh, fish (apt-get; the shell-integration tests drive them)
#   Node 24 in .cache/node24 (second test runtime)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBIAN_FRONTEND=noninteractive NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false NPM_CONFIG_UPDATE_NOTIFIER=false
# Debian marks the system python "externally managed"; this machine-level
# test tooling is meant to go there. Ignored by pip versions without PEP 668.
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'setup: %s\n' "$*"; }

# Runs a command quietly; shows its output only when it fails.
quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "FAILED: $*" >&2
    return 1
  fi
  rm -f "$log"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else say "need root for: $*" >&2; return 1
  fi
}

# --- npm dependencies -------------------------------------------------------
# node_modules is current when every non-optional package of package-lock.json
# is installed at the locked version (npm records installs in
# node_modules/.package-lock.json).
npm_current() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    for (const [k, v] of Object.entries(want)) {
      if (!k || v.optional) continue;
      if (!have[k] || have[k].version !== v.version) process.exit(1);
    }' 2>/dev/null
}
if [ ! -d node_modules ] || ! npm_current; then
  say "installing npm dependencies (npm ci)"
  quiet npm ci --no-audit --no-fund
else
  say "npm dependencies up to date"
fi

# --- Python: moto, boto3, AWS CLI v1 ----------------------------------------
command -v python3 >/dev/null || { say "python3 (>= 3.10) is required" >&2; exit 1; }
pip_install() {
  say "pip install $*"
  quiet python3 -m pip install --quiet "$@" || quiet python3 -m pip install --quiet --user "$@"
}
if ! python3 -c 'import moto, flask, flask_cors, sys; sys.exit(0 if moto.__version__.startswith("5.") else 1)' 2>/dev/null; then
  # moto 4.x answers EC2 calls in shapes the current SDK v3 rejects.
  pip_install "moto==5.2.1" flask flask-cors
else
  say "moto $(python3 -c 'import moto; print(moto.__version__)') present"
fi
python3 -c 'import boto3' 2>/dev/null || pip_install boto3
# The e2e tests drive the AWS CLI v1: Debian's awscli 2.9 ignores AWS_ENDPOINT_URL.
if ! command -v aws >/dev/null; then pip_install awscli; fi

# --- System packages: keychain (gnome-keyring in a private D-Bus), wrk -------
missing=()
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v dbus-run-session >/dev/null || missing+=(dbus)
command -v wrk >/dev/null || missing+=(wrk)
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    say "apt-get install ${missing[*]}"
    quiet as_root apt-get update -qq
    quiet as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    say "no apt-get: install ${missing[*]} yourself (keychain, shell tests and benchmarks skip without them)" >&2
  fi
else
  say "gnome-keyring, dbus, wrk, zsh, fish present"
fi

# --- Node 24, the second runtime the suite runs on --------------------------
node24=.cache/node24/node_modules/node/bin/node
if ! "$node24" --version >/dev/null 2>&1; then
  say "installing Node 24 into .cache/node24"
  mkdir -p .cache/node24
  quiet npm install --no-save --no-package-lock --prefix .cache/node24 node@24
  "$node24" --version >/dev/null
fi
say "node $(node --version) (default), $("$node24" --version) (.cache/node24)"
