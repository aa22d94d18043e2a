// CodePairs on Azure: Flex Consumption function app + user-assigned identity + two storage accounts (host, data)
// with shared keys off + Application Insights/Log Analytics + Event Grid for the batch blob trigger.
// Deployed by `azd up` (azure.yaml); every module is local (no registry modules: CI builds offline).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource token.')
param environmentName string

@minLength(1)
@description('Region for every resource (must offer Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional: object id of the person running azd (AZURE_PRINCIPAL_ID); gets Blob Data Contributor on the data account so they can drop CMS releases and batch files. Empty: no operator access.')
param principalId string = ''

@description('Principal type of principalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param principalType string = 'User'

@description('Resource group name; empty for rg-<environmentName>.')
param resourceGroupName string = ''

@description('Always-ready instances for the partner API (HTTP group). 0 = scale from zero (cheapest, cold starts).')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 0

@description('Maximum instances the app may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Storage replication for both accounts.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS'])
param storageSkuName string = 'Standard_LRS'

@description('Create the Event Grid subscription for batches-in (set by scripts/wire-blob-events.sh after the first deploy).')
param wireBlobEvents bool = false

@description('NCRONTAB schedule of the CMS rules refresh (RULES_REFRESH_SCHEDULE).')
param rulesRefreshSchedule string = '0 30 3 * * *'

@description('Seconds between checks of rules-incoming (CodePairs__Rules__PollSeconds).')
@minValue(5)
param rulesPollSeconds int = 60

@description('Optional ;-separated CMS zip URLs (CodePairs__Rules__UrlSources).')
param rulesUrlSources string = ''

@description('Bytes per batch chunk (CodePairs__Batches__ChunkBytes).')
@minValue(1048576)
param batchChunkBytes int = 67108864

@description('Setting for batch lines that name none (CodePairs__Batches__DefaultSetting).')
@allowed(['practitioner', 'hospital'])
param batchDefaultSetting string = 'practitioner'

@description('Log Analytics retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Extra tags for every resource.')
param extraTags object = {}

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = union(extraTags, { 'azd-env-name': environmentName, application: 'codepairs' })
var functionAppName = 'func-codepairs-${resourceToken}'
var identityName = 'id-codepairs-${resourceToken}'
var dataStorageName = 'stdata${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

// Built-in role definition ids (stable across clouds and tenants).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

// What CodePairs keeps in its data account; names are fixed (the functions bind to them).
var dataContainers = ['rules-incoming', 'rules-archive', 'rules-snapshots', 'batches-in', 'batches-out']
var dataQueues = ['batch-chunks', 'batch-chunks-poison']
var dataTables = ['RuleCatalog', 'RuleEdits']

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

// Host storage (AzureWebJobsStorage): host keys, timer/blob-trigger leases and receipts, the deployment package.
module hostStorage 'modules/storage-account.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: 'sthost${resourceToken}'
    location: location
    tags: tags
    skuName: storageSkuName
    containers: [deploymentContainerName]
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageBlobDataOwner
        description: 'Functions host: keys, leases, blob receipts and the deployment package.'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageQueueDataContributor
        description: 'Functions host: internal queues of the blob trigger.'
      }
    ]
  }
}

// CodePairs data (CodePairsStorage): CMS releases, snapshots, batch files, the rule store tables, chunk queue.
module dataStorage 'modules/storage-account.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: dataStorageName
    location: location
    tags: tags
    skuName: storageSkuName
    containers: dataContainers
    queues: dataQueues
    tables: dataTables
    softDelete: true
    softDeleteDays: 7
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageBlobDataOwner
        description: 'Blob trigger on batches-in, rules and snapshot blobs, batch outputs.'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageQueueDataContributor
        description: 'Blob trigger poison queue and the batch-chunks queue.'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageTableDataContributor
        description: 'Rule store: RuleCatalog, RuleEdits and per-release tables.'
      }
    ]
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-codepairs-${resourceToken}'
    applicationInsightsName: 'appi-codepairs-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    publisherIdentityName: identityName
  }
  dependsOn: [identity]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-codepairs-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    hostQueueEndpoint: hostStorage.outputs.queueEndpoint
    hostTableEndpoint: hostStorage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    dataBlobEndpoint: dataStorage.outputs.blobEndpoint
    dataQueueEndpoint: dataStorage.outputs.queueEndpoint
    dataTableEndpoint: dataStorage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    rulesRefreshSchedule: rulesRefreshSchedule
    rulesPollSeconds: rulesPollSeconds
    rulesUrlSources: rulesUrlSources
    batchChunkBytes: batchChunkBytes
    batchDefaultSetting: batchDefaultSetting
  }
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blob-events'
  scope: rg
  params: {
    systemTopicName: 'evgt-codepairs-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: dataStorageName
    functionAppName: functionAppName
    functionName: 'ValidateBatchBlob'
    containerName: 'batches-in'
    createSubscription: wireBlobEvents
  }
  // Names are passed as compile-time values (better what-if); these modules create what the names refer to.
  dependsOn: [dataStorage, functionApp]
}

// Outputs azd stores in the environment (.azure/<env>/.env) and the hooks and docs use.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = dataStorage.outputs.blobEndpoint
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.logAnalyticsName
output BATCH_EVENTS_SYSTEM_TOPIC_NAME string = blobEvents.outputs.systemTopicName
