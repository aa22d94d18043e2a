#!/usr/bin/env bash
# The project's one test command (the README names it and .ci/run calls it):
# restores, builds, starts Azurite for the integration tests, runs every test project, stops Azurite,
# and ends with one line "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

dotnet build Functions.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

bash scripts/azurite.sh start || { echo "0 passed, 1 failed"; exit 1; }
trap 'bash scripts/azurite.sh stop' EXIT

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  # A test that hangs (storage that stops answering, a deadlock) is killed after 10 minutes and counted as failed,
  # rather than holding CI until its time runs out; the longest test takes ≈ 1 minute.
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 10m --blame-hang-dump-type none "$@" || status=1
done

passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f2=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "$skipped" -eq 0 ] || echo "${skipped} skipped"
echo "${passed} passed, ${failed} failed"
exit "$status"
