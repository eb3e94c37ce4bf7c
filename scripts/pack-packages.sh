#!/usr/bin/env bash
# Builds every publishable package of the repository and packs each into one
# tarball, as `npm publish` would ship it (prepack points package.json at dist).
#   scripts/pack-packages.sh [OUT_DIR]   (default: test/artifacts/adopter/packages)
# Publishable = a workspace that is not private; a package added later (the
# templates package, say) is picked up without a change here.
# Prints one line per tarball: "<package name> <absolute tarball path>".
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
out="${1:-$REPO_ROOT/test/artifacts/adopter/packages}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/*.tgz

# name<TAB>folder of every public workspace, from Yarn itself.
mapfile -t workspaces < <(yarn workspaces list --json | node -e '
  const fs = require("node:fs");
  const path = require("node:path");
  for (const line of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
    const { location, name } = JSON.parse(line);
    const pkg = JSON.parse(fs.readFileSync(path.join(location, "package.json"), "utf8"));
    if (location !== "." && !pkg.private) console.log(`${name}\t${location}`);
  }')
if [[ ${#workspaces[@]} -eq 0 ]]; then
  echo "[pack] no publishable workspace found" >&2
  exit 1
fi

t0=$SECONDS
# backstage-cli bundles each package's type declarations from dist-types.
# .ci/run sets GATEWAY_PORTAL_TYPES_CHECKED=1 when its type-check of this
# checkout passed a moment ago: the declarations are those, not checked twice.
if [[ "${GATEWAY_PORTAL_TYPES_CHECKED:-}" == 1 ]]; then
  echo "[pack] type declarations: from this run's type-check (dist-types)" >&2
else
  echo "[pack] type declarations (yarn tsc)" >&2
  yarn tsc >&2
fi

# The builds are independent (each bundles its own sources; the others are
# external imports): two at a time, one per core. Each build's output goes to
# its own log, printed whole when it ends, so the logs do not interleave.
build_logs="$(mktemp -d)"
trap 'rm -rf "$build_logs"' EXIT
build_failed=0
build() {
  local name=$1 log="$build_logs/$(echo "${1#@}" | tr / -).log"
  echo "[pack] build $name" >"$log"
  if yarn workspace "$name" build >>"$log" 2>&1; then
    cat "$log" >&2
  else
    cat "$log" >&2
    echo "[pack] build $name FAILED" >&2
    return 1
  fi
}
running=0
for entry in "${workspaces[@]}"; do
  if [[ $running -ge 2 ]]; then
    wait -n || build_failed=1
    running=$((running - 1))
  fi
  build "${entry%%$'\t'*}" &
  running=$((running + 1))
done
while [[ $running -gt 0 ]]; do
  wait -n || build_failed=1
  running=$((running - 1))
done
if [[ $build_failed -ne 0 ]]; then
  echo "[pack] a build failed (its log is above)" >&2
  exit 1
fi
echo "[pack] built ${#workspaces[@]} packages in $((SECONDS - t0))s" >&2

for entry in "${workspaces[@]}"; do
  name="${entry%%$'\t'*}"
  # npm's file name for a scoped package: @scope/name -> scope-name-<version>.tgz
  version="$(node -p "require('./${entry#*$'\t'}/package.json').version")"
  file="$out/$(echo "${name#@}" | tr / -)-$version.tgz"
  # prepack rewrites package.json and postpack restores it byte for byte; its
  # time is restored too, so nothing that compares file times (the browser
  # tests' frontend build, test/e2e/portal.ts) takes the pack for a change.
  manifest="${entry#*$'\t'}/package.json"
  cp -p "$manifest" "$build_logs/package.json"
  yarn workspace "$name" pack --out "$file" >&2
  if cmp -s "$manifest" "$build_logs/package.json"; then
    touch -r "$build_logs/package.json" "$manifest"
  fi
  echo "$name $file"
done
