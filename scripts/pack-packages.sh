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
echo "[pack] type declarations (yarn tsc)" >&2
yarn tsc >&2
for entry in "${workspaces[@]}"; do
  name="${entry%%$'\t'*}"
  echo "[pack] build $name" >&2
  yarn workspace "$name" build >&2
done
echo "[pack] built ${#workspaces[@]} packages in $((SECONDS - t0))s" >&2

for entry in "${workspaces[@]}"; do
  name="${entry%%$'\t'*}"
  # npm's file name for a scoped package: @scope/name -> scope-name-<version>.tgz
  version="$(node -p "require('./${entry#*$'\t'}/package.json').version")"
  file="$out/$(echo "${name#@}" | tr / -)-$version.tgz"
  yarn workspace "$name" pack --out "$file" >&2
  echo "$name $file"
done
