// Azure RBAC for the function app's managed identity, each role on the one resource it is for.
// Cosmos DB data access is not Azure RBAC: see cosmos-data-role.bicep.

@description('Principal (object) ID of the function app\'s managed identity.')
param principalId string

@description('Name of the storage account (host storage, Durable Functions, deployment package, app data).')
param storageAccountName string

@description('Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Name of the Web PubSub service.')
param webPubSubName string

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

// Built-in role definitions used here, by name. The GUIDs are the same in every tenant.
var builtInRoles = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  'Web PubSub Service Owner': '12cf5a90-567b-43ae-8102-96cf46c7d9b4'
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6'
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Blob Data Owner: the Functions host manages its own blob containers (leases, keys, timers) and
// the Flex deployment package. Queue and Table: the Durable Functions Azure Storage provider.
var storageRoles = [
  'Storage Blob Data Owner'
  'Storage Queue Data Contributor'
  'Storage Table Data Contributor'
]

// Receive (triggers, dead-letter handling) and send (output bindings). The namespace holds only
// this app's entities.
var serviceBusRoles = [
  'Azure Service Bus Data Receiver'
  'Azure Service Bus Data Sender'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleName in storageRoles: {
    name: guid(storage.id, principalId, builtInRoles[roleName])
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[roleName])
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource serviceBusRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleName in serviceBusRoles: {
    name: guid(serviceBus.id, principalId, builtInRoles[roleName])
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[roleName])
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource webPubSubRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(webPubSub.id, principalId, builtInRoles['Web PubSub Service Owner'])
  scope: webPubSub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Web PubSub Service Owner'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, principalId, builtInRoles['Key Vault Secrets User'])
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Key Vault Secrets User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource appInsightsRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, builtInRoles['Monitoring Metrics Publisher'])
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Monitoring Metrics Publisher'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output roleAssignmentCount int = length(storageRoles) + length(serviceBusRoles) + 3
