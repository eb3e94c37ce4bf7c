#!/usr/bin/env bash
# System packages the tests need that no language registry ships: Debian's
# Chromium (browser tests) and git (the git server peer uses git http-backend).
# Installs only what is missing; needs root (CI runs as root).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v git >/dev/null 2>&1 || missing+=(git)
[[ -x /usr/lib/git-core/git-http-backend ]] || missing+=(git)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "[system-deps] missing: ${missing[*]} — install them with apt-get (needs root)" >&2
  exit 1
fi
echo "[system-deps] apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
