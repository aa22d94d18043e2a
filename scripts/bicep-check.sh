#!/usr/bin/env bash
# Compile and lint every Bicep file under infra/ with the Bicep CLI restored from NuGet
# (Azure.Bicep.CommandLine.linux-x64, pinned in tools/bicep/bicep.proj). Fails on any error and on any linter
# warning: the CLI exits 0 on warnings, so the output is scanned as well. Deliberate suppressions live in
# bicepconfig.json with their reasons. Writes artifacts/infra/main.json (read by tests/CodePairs.Infra.Tests).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dotnet restore tools/bicep/bicep.proj -nologo -v:q >/dev/null
bicep="$(dotnet msbuild tools/bicep/bicep.proj -nologo -v:m -t:PrintBicepPath | sed -n 's/^ *BICEP_PATH=//p' | tail -1)"
[ -n "$bicep" ] && [ -f "$bicep" ] || { echo "bicep-check: Bicep CLI not found after restore ($bicep)" >&2; exit 1; }
[ -x "$bicep" ] || chmod +x "$bicep"
export BICEP_TELEMETRY_ENABLED=false
echo "bicep-check: $("$bicep" --version)"

failed=0
run() { # label, command...
  local label="$1"; shift
  local out rc
  out="$("$@" 2>&1)" && rc=0 || rc=$?
  [ -n "$out" ] && printf '%s\n' "$out"
  if [ "$rc" -ne 0 ]; then echo "bicep-check: FAIL $label (exit $rc)"; failed=1
  elif grep -qiE '(: Warning |: Error )' <<<"$out"; then echo "bicep-check: FAIL $label (warnings)"; failed=1
  else echo "bicep-check: ok   $label"; fi
}

mkdir -p artifacts/infra
run "build infra/main.bicep" "$bicep" build infra/main.bicep --outfile artifacts/infra/main.json
while IFS= read -r f; do
  run "lint $f" "$bicep" lint "$f"
done < <(find infra -name '*.bicep' | sort)

# No secret may be checked in under infra/: no account keys, SAS tokens or keyed connection strings.
if grep -rniE 'AccountKey=|SharedAccessSignature|[?&]sig=|SharedAccessKey=' infra/ bicepconfig.json azure.yaml; then
  echo "bicep-check: FAIL secret-looking text under infra/"; failed=1
fi

[ "$failed" -eq 0 ] && echo "bicep-check: all Bicep files build and lint clean" || exit 1
