// A hardened storage account: Entra ID only (shared keys off), no public blob access, HTTPS + TLS 1.2, with the
// containers, queues and tables the app expects and the role assignments each caller needs, scoped to this account.
@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Replication SKU.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS'])
param skuName string = 'Standard_LRS'

@description('Blob containers to create (private).')
param containers string[] = []

@description('Queues to create.')
param queues string[] = []

@description('Tables to create.')
param tables string[] = []

@description('Keep deleted blobs and containers restorable (a mistaken delete of a release or batch can be undone).')
param softDelete bool = false

@description('Days a deleted blob or container stays restorable when softDelete is on.')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 7

@description('Role assignments on this account: principalId, principalType, roleDefinitionId (a built-in role GUID) and a short description.')
param roleAssignments roleAssignment[] = []

@description('Optional: a person or group that may read and write blobs (drop CMS releases, batch files). Empty: none.')
param operatorPrincipalId string = ''

@description('Principal type of operatorPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param operatorPrincipalType string = 'User'

@export()
type roleAssignment = {
  @description('Object id of the principal.')
  principalId: string
  @description('ServicePrincipal for managed identities, User or Group for people.')
  principalType: ('ServicePrincipal' | 'User' | 'Group')
  @description('Built-in role definition GUID.')
  roleDefinitionId: string
  @description('Why this principal needs the role.')
  description: string
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // Event Grid and the Functions platform reach the account as trusted Azure services.
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
      }
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: softDelete ? { enabled: true, days: softDeleteDays } : { enabled: false }
      containerDeleteRetentionPolicy: softDelete ? { enabled: true, days: softDeleteDays } : { enabled: false }
    }

    resource blobContainers 'containers' = [
      for container in containers: {
        name: container
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource storageQueues 'queues' = [
      for queue in queues: {
        name: queue
      }
    ]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource storageTables 'tables' = [
      for table in tables: {
        name: table
      }
    ]
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    // Deterministic: the same principal and role on the same account always yields the same name, so a re-deploy
    // updates instead of failing with RoleAssignmentExists.
    name: guid(account.id, assignment.principalId, assignment.roleDefinitionId)
    scope: account
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      description: assignment.description
    }
  }
]

// Built-in role: Storage Blob Data Contributor (read/write/delete blobs; no ACL or lease-breaking rights of Owner).
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource operatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account.id, operatorPrincipalId, storageBlobDataContributorRoleId)
  scope: account
  properties: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    description: 'Operator: drop CMS releases into rules-incoming and batch files into batches-in.'
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
