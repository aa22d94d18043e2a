#!/usr/bin/env bash
# Run CodePairs locally: Azurite (pinned, from npm) + the Functions host (`func start`).
# Needs Azure Functions Core Tools v4 on PATH for the host; everything else is installed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/azurite.sh start
trap 'bash scripts/azurite.sh stop' EXIT
app="$root/src/CodePairs.Functions"
[ -f "$app/local.settings.json" ] || cp "$root/local.settings.sample.json" "$app/local.settings.json"
if ! command -v func >/dev/null 2>&1; then
  echo "Azure Functions Core Tools (func) is not installed: https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2
  exit 1
fi
cd "$app"
func start
