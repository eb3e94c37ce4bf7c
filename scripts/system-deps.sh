#!/usr/bin/env bash
# System packages the tests need that no language registry ships: Debian's
# Chromium (browser tests), git (the git server peer uses git http-backend),
# PostgreSQL and Redis (the production-profile test starts throw-away ones).
# Installs only what is missing; needs root (CI runs as root).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v git >/dev/null 2>&1 || missing+=(git)
[[ -x /usr/lib/git-core/git-http-backend ]] || missing+=(git)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "[system-deps] missing: ${missing[*]} — install them with apt-get (needs root)" >&2
  exit 1
fi
echo "[system-deps] apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Quiet: apt/dpkg output goes to a log, shown only when something fails.
# Debian's postinst scripts may enable the postgresql/redis services; the tests
# never use them (they start their own on free loopback ports).
aptlog="$(mktemp)"
trap 'rm -f "$aptlog"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$aptlog" 2>&1; then
  tail -n 40 "$aptlog" >&2
  echo "[system-deps] apt-get install ${missing[*]} failed" >&2
  exit 1
fi
