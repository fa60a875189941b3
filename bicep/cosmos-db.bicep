// Azure Cosmos DB for NoSQL, serverless, with key (local) auth disabled: the app reads and writes
// with its managed identity through a Cosmos SQL role assignment (see cosmos-data-role.bicep), and
// control-plane changes go through ARM only.
//
// Containers come from the `containers` parameter, so the list can be generated from code (see
// infra/cosmos-containers.json). Each entry:
//   { name: string, partitionKeyPaths: string[], defaultTtl?: int, uniqueKeys?: string[][],
//     indexingPolicy?: object, fullTextPolicy?: object, vectorEmbeddingPolicy?: object }
// defaultTtl: omit to keep TTL off, -1 to turn it on without a default, N seconds to expire items.
// The policies are the ones the app's adapter declares (composite indexes for its sorts, full-text
// paths for text search, vector embeddings for similarity); the account enables the NoSQL
// full-text and vector search capabilities they need.

@description('Name of the Cosmos DB account (3-44 lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(44)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Name of the SQL database.')
param databaseName string = 'marketplace'

@description('Containers to create in the database (see the file header for the shape).')
param containers array = []

@description('Resource ID of the Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [
      {
        name: 'EnableServerless'
      }
      {
        name: 'EnableNoSQLVectorSearch'
      }
      {
        name: 'EnableNoSQLFullTextSearch'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableFreeTier: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: container.partitionKeyPaths
          kind: length(container.partitionKeyPaths) > 1 ? 'MultiHash' : 'Hash'
          version: 2
        }
        defaultTtl: contains(container, 'defaultTtl') ? container.defaultTtl : null
        uniqueKeyPolicy: contains(container, 'uniqueKeys') ? { uniqueKeys: map(container.uniqueKeys, paths => { paths: paths }) } : null
        indexingPolicy: contains(container, 'indexingPolicy') ? container.indexingPolicy : null
        fullTextPolicy: contains(container, 'fullTextPolicy') ? container.fullTextPolicy : null
        vectorEmbeddingPolicy: contains(container, 'vectorEmbeddingPolicy') ? container.vectorEmbeddingPolicy : null
      }
    }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    // Resource-specific tables (CDBDataPlaneRequests, CDBPartitionKeyRUConsumption, ...).
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames array = [for container in containers: container.name]
