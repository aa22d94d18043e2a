#!/usr/bin/env bash
# kill -9 / rerun checks of the batch door (issue 11, point 5), on demand, not in CI.
# For each crash point of the batch protocol: run a batch in a separate process that SIGKILLs itself the moment it
# reaches the point, run it again (the host's redelivery), and compare the final state (status, counts, SHA-256 of
# results.csv and rejected.csv) with an uninterrupted run's. Prints "identical" or "different" per point; exits 1 if
# any differs. Needs Azurite on 127.0.0.1 (bash scripts/azurite.sh start).
#   bash scripts/chaos.sh [--lines 1000000] [--chunk-mib 4] [--points "planned enqueued ..."]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
lines=1000000; chunk=4; points="planned enqueued chunk-staged chunk-done results-committed committed"
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines="$2"; shift 2 ;;
    --chunk-mib) chunk="$2"; shift 2 ;;
    --points) points="$2"; shift 2 ;;
    *) echo "usage: $0 [--lines N] [--chunk-mib M] [--points \"p1 p2\"]" >&2; exit 2 ;;
  esac
done

dotnet build bench/CodePairs.Bench.Batches -c Release -nologo -clp:ErrorsOnly >/dev/null || { echo "build failed" >&2; exit 1; }
harness=(dotnet bench/CodePairs.Bench.Batches/bin/Release/net10.0/CodePairs.Bench.Batches.dll chaos)
run_id="$(date +%s)$$"
outcome() { grep '^OUTCOME ' | sed 's/^OUTCOME //'; }

reference=$("${harness[@]}" run --tag "r$run_id" --lines "$lines" --chunk-mib "$chunk" | outcome)
"${harness[@]}" clean --tag "r$run_id"
[ -n "$reference" ] || { echo "the uninterrupted run gave no outcome" >&2; exit 1; }
echo "uninterrupted: $reference"

status=0
for point in $points; do
  tag="p$(echo "$point" | tr -d -)$run_id"
  start=$(date +%s)
  # (in a subshell whose stderr is dropped: bash's own "Killed" notice is expected here, not news)
  killed=$( ( "${harness[@]}" run --tag "$tag" --lines "$lines" --chunk-mib "$chunk" --kill-at "$point" >"/tmp/chaos-$tag.log" 2>&1; echo $? ) 2>/dev/null )
  after=$("${harness[@]}" run --tag "$tag" --lines "$lines" --chunk-mib "$chunk" 2>/dev/null | outcome)
  "${harness[@]}" clean --tag "$tag"
  took=$(( $(date +%s) - start ))
  if [ "$killed" -ne 137 ] || ! grep -q "^KILLED at $point" "/tmp/chaos-$tag.log"; then
    echo "$point: not reached (exit $killed; see /tmp/chaos-$tag.log)"; status=1
  elif [ "$after" = "$reference" ]; then
    echo "$point: identical (killed with SIGKILL, rerun, ${took} s)"
  else
    echo "$point: different: $after"; status=1
  fi
  rm -f "/tmp/chaos-$tag.log"
done
exit "$status"
