#!/usr/bin/env bash
# kill -9 / rerun checks (issue 11, point 5), on demand, not in CI, for the batch door, `rules publish` and the refresh.
# For each chosen crash point: run in a separate process that SIGKILLs itself the moment it reaches the point, run it
# again (the host's redelivery of a batch; the operator's rerun of `rules publish`; the next timer run of the refresh,
# once the dead run's lease has expired), and compare the final state with an uninterrupted run's:
#   batch:   status, counts, SHA-256 of results.csv and rejected.csv;
#   publish, refresh: the rule store (pointer, catalogue entries, rule sets, drop records, checkpoints left, edit rows
#            and a hash of every entity per table version, SHA-256 of every snapshot blob; tests/Shared/RuleStoreState.cs).
# Prints "identical" or "different" per point; exits 1 if any differs. Needs Azurite on 127.0.0.1 (bash scripts/azurite.sh start).
#   bash scripts/chaos.sh [--mode all|batch|publish|refresh] [--points "p1 p2"]
#                         [--lines 1000000] [--chunk-mib 4]     (batch)
#                         [--scale full|small]                  (publish, refresh: two steps, a full quarter then an MUE-only one)
# Publish and refresh points are POINT@STEP (step 1: the full quarter, 2: the MUE-only quarter, which retires the first
# rule set), POINT one of RulePublisher.CrashPoints (and, for the refresh, RefreshJob.CrashPoints).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode=all; lines=1000000; chunk=4; scale=full; points=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --chunk-mib) chunk="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --points) points="$2"; shift 2 ;;
    *) echo "usage: $0 [--mode all|batch|publish|refresh] [--points \"p1 p2\"] [--lines N] [--chunk-mib M] [--scale full|small]" >&2; exit 2 ;;
  esac
done
case "$mode" in all|batch|publish|refresh) ;; *) echo "--mode: '$mode' is not all, batch, publish or refresh" >&2; exit 2 ;; esac
if [ "$mode" = all ] && [ -n "$points" ]; then echo "--points needs one --mode" >&2; exit 2; fi

batch_points="planned enqueued chunk-staged chunk-done results-committed committed"
publish_points="version-loading@1 rows-partial@1 rows-written@1 version-verified@1 composed@2 flipped@2"
refresh_points="fetched@1 rows-partial@1 version-verified@1 composed@2 flipped@2 published@2"

run_id="$(date +%s)$$"
outcome() { grep '^OUTCOME ' | sed 's/^OUTCOME //'; }
status=0

# One point: kill at it, rerun, compare with $reference. $1 = name printed, $2 = tag, $3 = point; the harness command
# is "${harness[@]}", its options "${opts[@]}".
check_point() {
  local name="$1" tag="$2" point="$3"
  local start killed after took
  start=$(date +%s)
  # (in a subshell whose stderr is dropped: bash's own "Killed" notice is expected here, not news)
  killed=$( ( "${harness[@]}" run --tag "$tag" --kill-at "$point" "${opts[@]}" >"/tmp/chaos-$tag.log" 2>&1; echo $? ) 2>/dev/null )
  after=$("${harness[@]}" run --tag "$tag" "${opts[@]}" 2>/dev/null | outcome)
  "${harness[@]}" clean --tag "$tag" "${opts[@]}"
  took=$(( $(date +%s) - start ))
  if [ "$killed" -ne 137 ] || ! grep -q "^KILLED at $point" "/tmp/chaos-$tag.log"; then
    echo "$name: not reached (exit $killed; see /tmp/chaos-$tag.log)"; status=1; return
  elif [ "$after" = "$reference" ]; then
    echo "$name: identical (killed with SIGKILL, rerun, ${took} s)"
  else
    echo "$name: different: $after"; status=1
  fi
  rm -f "/tmp/chaos-$tag.log"
}

if [ "$mode" = all ] || [ "$mode" = batch ]; then
  dotnet build bench/CodePairs.Bench.Batches -c Release -nologo -clp:ErrorsOnly >/dev/null || { echo "build failed" >&2; exit 1; }
  harness=(dotnet bench/CodePairs.Bench.Batches/bin/Release/net10.0/CodePairs.Bench.Batches.dll chaos)
  opts=(--lines "$lines" --chunk-mib "$chunk")
  reference=$("${harness[@]}" run --tag "r$run_id" "${opts[@]}" 2>/dev/null | outcome)
  "${harness[@]}" clean --tag "r$run_id"
  [ -n "$reference" ] || { echo "the uninterrupted batch gave no outcome" >&2; exit 1; }
  echo "batch uninterrupted: $reference"
  for point in ${points:-$batch_points}; do
    check_point "batch $point" "p$(echo "$point" | tr -d -)$run_id" "$point"
  done
fi

for what in publish refresh; do
  [ "$mode" = all ] || [ "$mode" = "$what" ] || continue
  dotnet build bench/CodePairs.Bench.Refresh -c Release -nologo -clp:ErrorsOnly >/dev/null || { echo "build failed" >&2; exit 1; }
  harness=(dotnet bench/CodePairs.Bench.Refresh/bin/Release/net10.0/CodePairs.Bench.Refresh.dll chaos "$what")
  opts=(--scale "$scale")
  reference=$("${harness[@]}" run --tag "r${what:0:1}$run_id" "${opts[@]}" 2>/dev/null | outcome)
  "${harness[@]}" clean --tag "r${what:0:1}$run_id" "${opts[@]}"
  [ -n "$reference" ] || { echo "the uninterrupted $what gave no outcome" >&2; exit 1; }
  echo "$what uninterrupted: $reference"
  default="${what}_points"
  i=0
  for point in ${points:-${!default}}; do
    i=$((i + 1))
    check_point "$what $point" "k${what:0:1}$i$run_id" "$point"
  done
done
exit "$status"
