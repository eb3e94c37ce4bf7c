#!/usr/bin/env bash
# ./run start: the portal and, when no cluster and no AWS account is configured, the local
# sandbox (packages/sandbox; README.md, "Sandbox"). On a fresh machine the dependency install
# (yarn) and the sandbox's long build (kube-apiserver + etcd, scripts/sandbox-prebuild.sh) run
# in parallel. Arguments (--config FILE ...) go to the portal, as with backstage-cli repo start.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

prebuild_pid=""
if [[ "${GATEWAY_PORTAL_SANDBOX:-}" != "off" ]]; then
  setsid bash scripts/sandbox-prebuild.sh &
  prebuild_pid=$!
  # Ctrl-C during the install stops the pre-build too.
  trap 'kill -- -$prebuild_pid 2>/dev/null; exit 130' INT TERM
fi
"$REPO_ROOT/run" setup
if [[ -n "$prebuild_pid" ]]; then
  wait "$prebuild_pid" || echo "[start] the sandbox pre-build failed; the sandbox builds what it needs itself" >&2
  trap - INT TERM
fi
# The sandbox's CLI decides (sandboxDecision), starts the sandbox when it applies, then the portal.
# node itself (not the tsx wrapper, which may SIGKILL its child on Ctrl-C) so that the CLI can stop everything.
exec node --import tsx packages/sandbox/src/cli.ts start "$@"
