#!/bin/sh
# azd postdeploy hook: create the Event Grid subscription (BlobCreated on batches-in -> ValidateBatchBlob) once the
# code is deployed. The subscription needs the host's blobs_extension system key, which exists only after the host
# has started with the blob extension, and Event Grid validates the webhook when the subscription is created; so
# the first `azd up` provisions without it, deploys, and this hook turns WIRE_BLOB_EVENTS on and provisions again
# (infra/modules/blob-events.bicep reads the key inside the deployment; it is never printed or stored here).
# Idempotent: later `azd up` runs provision the subscription in their normal provision step and this hook exits.
set -eu

if [ "$(azd env get-value WIRE_BLOB_EVENTS 2>/dev/null || true)" = "true" ]; then
  echo "wire-blob-events: WIRE_BLOB_EVENTS=true already; the provision step keeps the subscription up to date."
  exit 0
fi

uri="$(azd env get-value SERVICE_API_URI)"
# Wake the host so it loads the blob extension and creates its system key (Flex Consumption may be scaled to zero).
i=0
while [ "$i" -lt 30 ]; do
  if curl -fsS -o /dev/null "$uri/api/health"; then break; fi
  i=$((i + 1)); sleep 10
done

azd env set WIRE_BLOB_EVENTS true
azd provision --no-prompt
echo "wire-blob-events: Event Grid subscription for batches-in created."
