// Cosmos DB data-plane access for the function app's identity. Cosmos DB for NoSQL has its own
// RBAC (sqlRoleAssignments), separate from Azure RBAC; with local auth disabled it is the only way
// in. The assignment is scoped to the one database.

@description('Name of the Cosmos DB account.')
param accountName string

@description('Name of the SQL database the identity may read and write.')
param databaseName string

@description('Principal (object) ID of the function app\'s managed identity.')
param principalId string

// Built-in Cosmos DB data-plane role definitions (fixed IDs in every account).
var cosmosBuiltInRoles = {
  'Cosmos DB Built-in Data Reader': '00000000-0000-0000-0000-000000000001'
  'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002'
}

var dataContributorRoleId = cosmosBuiltInRoles['Cosmos DB Built-in Data Contributor']

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: accountName
}

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: '${account.id}/dbs/${databaseName}'
  }
}

output roleAssignmentId string = dataContributor.id
