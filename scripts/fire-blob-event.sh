#!/usr/bin/env bash
# Fire the Event Grid-sourced blob trigger locally: Azurite emits no Event Grid events, so this POSTs the
# Microsoft.Storage.BlobCreated event that Event Grid would send for batches-in/<blob name> to the local host's
# blob extension webhook, which then runs ValidateBatchBlob on that blob.
#   scripts/fire-blob-event.sh <blob name> [container]     # needs `func start` (scripts/run.sh) on :7071
# Env: FUNCTIONS_HOST (default http://localhost:7071), AZURITE_BLOB (default http://127.0.0.1:10000/devstoreaccount1),
#      FUNCTIONS_KEY (a host key; `func start` does not ask for one locally, Azure does).
set -euo pipefail
name="${1:?usage: $0 <blob name> [container]}"
container="${2:-batches-in}"
host="${FUNCTIONS_HOST:-http://localhost:7071}"
blobs="${AZURITE_BLOB:-http://127.0.0.1:10000/devstoreaccount1}"
now="$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"
id="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || date +%s%N)"
# JSON-escape the name (quotes and backslashes); URL-encode spaces.
json_name="$(printf '%s' "$name" | sed 's/\\/\\\\/g; s/"/\\"/g')"
url_name="$(printf '%s' "$json_name" | sed 's/ /%20/g')"
payload=$(cat <<JSON
[{
  "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
  "subject": "/blobServices/default/containers/${container}/blobs/${json_name}",
  "eventType": "Microsoft.Storage.BlobCreated",
  "id": "${id}",
  "data": {
    "api": "PutBlob",
    "clientRequestId": "${id}",
    "requestId": "${id}",
    "contentType": "application/octet-stream",
    "blobType": "BlockBlob",
    "url": "${blobs}/${container}/${url_name}",
    "sequencer": "0000000000000000000000000000000000000000000000000000000000000000",
    "storageDiagnostics": { "batchId": "${id}" }
  },
  "dataVersion": "",
  "metadataVersion": "1",
  "eventTime": "${now}"
}]
JSON
)
key_header=()
[ -n "${FUNCTIONS_KEY:-}" ] && key_header=(-H "x-functions-key: ${FUNCTIONS_KEY}")
curl -sS -o /dev/null -w "webhook answered %{http_code} (202 = accepted; the function runs now)\n" \
  -X POST "${host}/runtime/webhooks/blobs?functionName=Host.Functions.ValidateBatchBlob" \
  -H "Content-Type: application/json" -H "aeg-event-type: Notification" "${key_header[@]}" \
  --data "$payload"
