// The CodePairs function app on Flex Consumption (FC1, Linux, dotnet-isolated 10.0). It runs as the user-assigned
// identity; every connection in its settings is identity-based (no keys, no connection strings with secrets).
@description('Function app name (also the default host name prefix).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name).')
param tags object

@description('azd service name this app is deployed as (azure.yaml).')
param serviceName string = 'api'

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (goes into the __clientId settings).')
param identityClientId string

@description('Blob endpoint of the host storage account (ends with /).')
param hostBlobEndpoint string

@description('Queue endpoint of the host storage account.')
param hostQueueEndpoint string

@description('Table endpoint of the host storage account.')
param hostTableEndpoint string

@description('Container in the host account that holds the deployment package.')
param deploymentContainerName string

@description('Blob endpoint of the CodePairs data account.')
param dataBlobEndpoint string

@description('Queue endpoint of the CodePairs data account.')
param dataQueueEndpoint string

@description('Table endpoint of the CodePairs data account.')
param dataTableEndpoint string

@description('Application Insights connection string (names the component; no ingestion secret with local auth off).')
param applicationInsightsConnectionString string

@description('Always-ready instances for the HTTP group (the partner API); 0 means scale from zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 0

@description('Upper bound on instances the plan may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('NCRONTAB schedule of the CMS rules refresh.')
param rulesRefreshSchedule string = '0 30 3 * * *'

@description('Seconds between checks of the rules-incoming drop container.')
@minValue(5)
param rulesPollSeconds int = 60

@description('Optional ;-separated CMS zip URLs the refresh downloads (empty: drop-container only).')
param rulesUrlSources string = ''

@description('Bytes per batch chunk.')
@minValue(1048576)
param batchChunkBytes int = 67108864

@description('Setting used for a batch line that names none (practitioner or hospital).')
@allowed(['practitioner', 'hospital'])
param batchDefaultSetting string = 'practitioner'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // 'http' is the Flex Consumption per-function-group name that covers every HTTP trigger (the partner API).
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    // One literal object on purpose: tests/CodePairs.Infra.Tests reads every name and value from the compiled template.
    properties: {
      // Identity-based connections: the Functions host and the Azure SDK clients read <Connection>__<service>ServiceUri
      // with credential=managedidentity and clientId, and never fall back to a key.
      AzureWebJobsStorage__blobServiceUri: hostBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: hostQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: hostTableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      CodePairsStorage__blobServiceUri: dataBlobEndpoint
      CodePairsStorage__queueServiceUri: dataQueueEndpoint
      CodePairsStorage__tableServiceUri: dataTableEndpoint
      CodePairsStorage__credential: 'managedidentity'
      CodePairsStorage__clientId: identityClientId
      // Telemetry: the connection string only names the component; ingestion needs an Entra ID token of this identity.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Features.
      RULES_REFRESH_SCHEDULE: rulesRefreshSchedule
      CodePairs__Rules__PollSeconds: string(rulesPollSeconds)
      CodePairs__Rules__UrlSources: rulesUrlSources // empty: no URL sources, only the rules-incoming drop container
      CodePairs__Batches__ChunkBytes: string(batchChunkBytes)
      CodePairs__Batches__DefaultSetting: batchDefaultSetting
    }
  }

  // Basic (user/password) publishing is off for both FTP and SCM: azd deploys with an Entra ID token.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output uri string = 'https://${site.properties.defaultHostName}'
