// FoodXchange Expert Marketplace: the Azure Developer CLI entry point.
// Creates one resource group and, in it, the modules from ../bicep:
// identity, monitoring, storage, Service Bus, Web PubSub, Cosmos DB, Key Vault, the Flex
// Consumption function app, the role assignments of the app's identity, and an operator dashboard.

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region for all resources. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('UserAssigned (default): a separate identity that exists, with its roles, before the app. SystemAssigned: the app\'s own identity.')
@allowed([
  'UserAssigned'
  'SystemAssigned'
])
param identityType string = 'UserAssigned'

@description('Memory of each function app instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on function app scale-out.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Web PubSub tier.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param webPubSubSku string = 'Standard_S1'

@description('Audience of the token Web PubSub sends with each event (its managed identity gets it; the app checks it). By default the Web PubSub data-plane resource, which needs no app registration; an app registration\'s Application ID URI works too.')
param webPubSubEventAudience string = 'https://webpubsub.azure.com'

@description('Cosmos DB containers; empty means the list in cosmos-containers.json.')
param cosmosContainers array = []

@description('Log Analytics retention, in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Azure OpenAI for semantic matching (optional): the name of an existing account; empty = no semantic matching.')
param openAiAccountName string = ''

@description('Resource group of that account; empty = the app\'s resource group.')
param openAiResourceGroupName string = ''

@description('That account\'s endpoint, e.g. https://my-openai.openai.azure.com/.')
param openAiEndpoint string = ''

@description('Its embeddings deployment; vectors are 1536 numbers (text-embedding-3-small).')
param openAiEmbeddingDeployment string = 'text-embedding-3-small'

@description('Its chat deployment for the re-rank; empty = no re-rank.')
param openAiChatDeployment string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'foodxchange-expert-marketplace'
}
var isUserAssigned = identityType == 'UserAssigned'
var useOpenAi = !empty(openAiAccountName)
var openAiSettings = useOpenAi ? {
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: openAiEmbeddingDeployment
  AZURE_OPENAI_CHAT_DEPLOYMENT: openAiChatDeployment
} : {}
var cosmosDatabaseName = 'marketplace'
var webPubSubHubName = 'marketplace'
var containers = empty(cosmosContainers) ? loadJsonContent('cosmos-containers.json').containers : cosmosContainers
var names = {
  identity: 'id-api-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  webPubSub: 'wps-${resourceToken}'
  cosmos: 'cosmos-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-api-${resourceToken}'
  dashboard: 'dash-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity '../bicep/user-assigned-identity.bicep' = if (isUserAssigned) {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module logAnalytics '../bicep/log-analytics.bicep' = {
  name: 'log-analytics'
  scope: rg
  params: {
    name: names.logAnalytics
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module appInsights '../bicep/app-insights.bicep' = {
  name: 'app-insights'
  scope: rg
  params: {
    name: names.appInsights
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module storage '../bicep/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    dataContainerName: 'app-data'
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module serviceBus '../bicep/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module webPubSub '../bicep/web-pubsub.bicep' = {
  name: 'web-pubsub'
  scope: rg
  params: {
    name: names.webPubSub
    location: location
    tags: tags
    skuName: webPubSubSku
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module cosmos '../bicep/cosmos-db.bicep' = {
  name: 'cosmos-db'
  scope: rg
  params: {
    name: names.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: containers
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module keyVault '../bicep/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module plan '../bicep/flex-plan.bicep' = {
  name: 'flex-plan'
  scope: rg
  params: {
    name: names.plan
    location: location
    tags: tags
  }
}

module functionApp '../bicep/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    location: location
    tags: tags
    serviceName: 'api'
    planId: plan.outputs.id
    runtimeName: 'node'
    runtimeVersion: '22'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    identityType: identityType
    userAssignedIdentityId: isUserAssigned ? identity.outputs.id : ''
    userAssignedIdentityClientId: isUserAssigned ? identity.outputs.clientId : ''
    userAssignedIdentityPrincipalId: isUserAssigned ? identity.outputs.principalId : ''
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: appInsights.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
    appSettings: union(openAiSettings, {
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      WEBPUBSUB_ENDPOINT: webPubSub.outputs.endpoint
      WEBPUBSUB_HUB: webPubSubHubName
      // Whose token the event handler accepts: the service's own identity, in this tenant.
      WEBPUBSUB_EVENT_TENANT_ID: tenant().tenantId
      WEBPUBSUB_EVENT_AUDIENCE: webPubSubEventAudience
      WEBPUBSUB_EVENT_PRINCIPAL_ID: webPubSub.outputs.principalId
      KEY_VAULT_URI: keyVault.outputs.uri
      BLOB_DATA_CONTAINER: storage.outputs.dataContainerName
      SERVICEBUS_RFQ_QUEUE: serviceBus.outputs.rfqQueueName
      SERVICEBUS_EVENTS_TOPIC: serviceBus.outputs.eventsTopicName
    })
  }
}

module webPubSubHub '../bicep/web-pubsub-hub.bicep' = {
  name: 'web-pubsub-hub'
  scope: rg
  params: {
    webPubSubName: webPubSub.outputs.name
    hubName: webPubSubHubName
    eventHandlerUrl: '${functionApp.outputs.uri}/api/v1/realtime/webpubsub'
    eventAudience: webPubSubEventAudience
  }
}

module roles '../bicep/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: rg
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    webPubSubName: webPubSub.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: appInsights.outputs.name
  }
}

module openAiRole '../bicep/openai-role.bicep' = if (useOpenAi) {
  name: 'openai-role'
  scope: resourceGroup(!empty(openAiResourceGroupName) ? openAiResourceGroupName : rg.name)
  params: {
    principalId: functionApp.outputs.principalId
    openAiAccountName: openAiAccountName
  }
}

module cosmosRole '../bicep/cosmos-data-role.bicep' = {
  name: 'cosmos-data-role'
  scope: rg
  params: {
    accountName: cosmos.outputs.name
    databaseName: cosmos.outputs.databaseName
    principalId: functionApp.outputs.principalId
  }
}

module dashboard 'dashboard.bicep' = {
  name: 'dashboard'
  scope: rg
  params: {
    name: names.dashboard
    location: location
    tags: tags
    applicationInsightsId: appInsights.outputs.id
    functionAppId: functionApp.outputs.id
    serviceBusNamespaceId: serviceBus.outputs.id
    cosmosAccountId: cosmos.outputs.id
  }
}

// azd writes these to the environment (.azure/<env>/.env); none is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_FUNCTION_APP_PRINCIPAL_ID string = functionApp.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_SERVICEBUS_FQDN string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_WEBPUBSUB_ENDPOINT string = webPubSub.outputs.endpoint
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATIONINSIGHTS_NAME string = appInsights.outputs.name
output AZURE_DASHBOARD_NAME string = dashboard.outputs.name
