#!/usr/bin/env bash
# Run CodePairs locally in one command: Azurite (pinned, from npm) + a rule set + the Functions host.
#   bash scripts/run.sh            # generates a small synthetic release the first time and publishes it
#   RULES=<snapshot|CMS folder> bash scripts/run.sh   # publish your own release instead
# Needs Azure Functions Core Tools v4 (`func`) on PATH for the host; everything else is installed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! command -v func >/dev/null 2>&1; then
  echo "Azure Functions Core Tools v4 (func) is not installed: https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2
  exit 1
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
func start
