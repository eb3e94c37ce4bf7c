#!/usr/bin/env bash
# Warms Go's build cache for the sandbox's kube-apiserver and etcd while `yarn install` runs
# (./run start on a fresh machine). It only compiles (two packages: nothing is linked or
# installed); the peers harness (test/peers/kube.ts) then builds the binaries from that cache.
# Nothing to do when the peers' binaries are already cached.
set -uo pipefail
cache="${PEERS_CACHE_DIR:-$HOME/.cache/gateway-portal-peers}"
if compgen -G "$cache/kube/k8s-*/kube-apiserver" >/dev/null; then exit 0; fi
if ! command -v go >/dev/null; then
  echo "[prebuild] go is not on PATH: the sandbox needs Go (README.md, \"Sandbox\")" >&2
  exit 1
fi
mkdir -p "$cache/logs"
log="$cache/logs/sandbox-prebuild.log"
echo "[prebuild] compiling kube-apiserver and etcd in the background (log $log)" >&2
t0=$SECONDS
cd "$(dirname "$0")/../test/peers/kube-build" || exit 1
# -trimpath as test/peers/kube.ts builds, so the compiled packages are reused from the cache.
if GOFLAGS=-mod=mod go build -trimpath k8s.io/kubernetes/cmd/kube-apiserver go.etcd.io/etcd/server/v3 >"$log" 2>&1; then
  echo "[prebuild] compiled in $((SECONDS - t0)) s" >&2
else
  echo "[prebuild] failed after $((SECONDS - t0)) s; see $log" >&2
  exit 1
fi
