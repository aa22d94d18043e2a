#!/usr/bin/env bash
# Run CodePairs locally in one command: Azurite (pinned, from npm) + a rule set + the Functions host.
#   bash scripts/run.sh            # generates a small synthetic release the first time and publishes it
#   RULES=<snapshot|CMS folder> bash scripts/run.sh   # publish your own release instead
# Uses `func` (Azure Functions Core Tools v4) from PATH; without one it installs the pinned npm package
# azure-functions-core-tools into .func/ in this checkout (git-ignored; reused by later runs; never a dependency of
# the tests or CI). Everything else (Azurite, the .NET build) is installed here too.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
func_version="4.15.1"
func_bin="$root/.func/node_modules/.bin/func"
if command -v func >/dev/null 2>&1; then
  func_bin="$(command -v func)"
elif [ ! -x "$func_bin" ]; then
  echo "func is not on PATH: installing azure-functions-core-tools@$func_version from npm into .func/ (once)" >&2
  mkdir -p "$root/.func"
  if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$root/.func" "azure-functions-core-tools@$func_version" >"$root/.func/install.log" 2>&1; then
    rm -rf "$root/.func/node_modules"
    echo "error: could not install Azure Functions Core Tools $func_version (log: .func/install.log)." >&2
    grep -o 'GET "[^"]*"' "$root/.func/install.log" | head -1 | sed 's/^/  the package downloads the host itself: /' >&2 || true
    echo "  That download (cdn.functions.azure.com) must be reachable, or install func v4 yourself:" >&2
    echo "  https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2
    exit 1
  fi
fi
bash scripts/azurite.sh start
trap 'bash scripts/azurite.sh stop' EXIT

cli=(dotnet run -c Release --project src/CodePairs.Cli --)
rules="${RULES:-$root/.azurite/release}"
if [ -z "${RULES:-}" ] && [ ! -f "$rules/release.json" ]; then
  "${cli[@]}" generate "$rules" --scale small --seed 1 --claims 200
fi
"${cli[@]}" rules publish "$rules"

app="$root/src/CodePairs.Functions"
[ -f "$app/local.settings.json" ] || cp "$root/local.settings.sample.json" "$app/local.settings.json"
cd "$app"
"$func_bin" start
