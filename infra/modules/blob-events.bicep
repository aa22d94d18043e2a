// Event Grid plumbing for the Event Grid-sourced blob trigger: a system topic on the data account (always), and the
// BlobCreated subscription on batches-in that calls the Functions blob extension webhook (only once the code is
// deployed: the webhook needs the host's blobs_extension system key, which exists only after the host has started
// with the blob extension, and Event Grid validates the endpoint when the subscription is created).
@description('System topic name.')
param systemTopicName string

@description('Azure region (the data account\'s).')
param location string

@description('Tags applied to the topic.')
param tags object

@description('Name of the data storage account whose events are published.')
param storageAccountName string

@description('Function app that receives the events.')
param functionAppName string

@description('Function name of the blob trigger (the webhook addresses Host.Functions.<name>).')
param functionName string = 'ValidateBatchBlob'

@description('Container whose BlobCreated events are delivered.')
param containerName string = 'batches-in'

@description('Create the subscription now (true only after the app code is deployed; see scripts/wire-blob-events.sh).')
param createSubscription bool = false

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (createSubscription) {
  parent: topic
  name: '${functionName}-${containerName}'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The key is read at deployment time from the running host; it is never written into this repository.
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/'
      enableAdvancedFilteringOnArrays: true
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output systemTopicName string = topic.name
output subscriptionName string = createSubscription ? subscription.name : ''
