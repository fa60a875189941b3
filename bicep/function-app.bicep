// The function app on a Flex Consumption plan: Linux, Node.js 20, code deployed as a package into a
// blob container that the platform reads with the app's managed identity. Every connection in the
// app settings is identity-based: no keys, SAS tokens or connection strings with secrets.

@description('Name of the function app.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the app (azd-service-name is added).')
param tags object = {}

@description('azd service name, from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string = 'api'

@description('Resource ID of the Flex Consumption plan.')
param planId string

@description('Language runtime.')
param runtimeName string = 'node'

@description('Runtime version.')
@allowed([
  '20'
  '22'
])
param runtimeVersion string = '22'

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on scale-out.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('UserAssigned: the identity from user-assigned-identity.bicep; SystemAssigned: the app\'s own.')
@allowed([
  'UserAssigned'
  'SystemAssigned'
])
param identityType string = 'UserAssigned'

@description('Resource ID of the user-assigned identity (UserAssigned only).')
param userAssignedIdentityId string = ''

@description('Client ID of the user-assigned identity (UserAssigned only).')
param userAssignedIdentityClientId string = ''

@description('Principal (object) ID of the user-assigned identity (UserAssigned only).')
param userAssignedIdentityPrincipalId string = ''

@description('Name of the storage account used by the host (AzureWebJobsStorage) and for deployment.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Host name of the Service Bus namespace, e.g. sb-x.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Resource ID of the Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Further app settings (endpoints, names). Values must not be secrets: use Key Vault references.')
param appSettings object = {}

var isUserAssigned = identityType == 'UserAssigned'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Settings that carry the managed identity's client ID only when it is user-assigned; a
// system-assigned identity is the default credential and needs no client ID.
var userAssignedSettings = isUserAssigned ? {
  AzureWebJobsStorage__clientId: userAssignedIdentityClientId
  ServiceBusConnection__clientId: userAssignedIdentityClientId
  AZURE_CLIENT_ID: userAssignedIdentityClientId
} : {}

var identitySettings = {
  // Host storage (blobs, Durable Functions queues and tables) with the managed identity.
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  // Service Bus triggers and output bindings use `connection: 'ServiceBusConnection'`.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  // Application Insights with Entra ID auth (the component has local auth disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: isUserAssigned ? 'ClientId=${userAssignedIdentityClientId};Authorization=AAD' : 'Authorization=AAD'
  APP_ENV: 'azure'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: isUserAssigned ? {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${userAssignedIdentityId}': {}
    }
  } : {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    // Key Vault references in app settings resolve with this identity.
    keyVaultReferenceIdentity: isUserAssigned ? userAssignedIdentityId : 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: isUserAssigned ? {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: userAssignedIdentityId
          } : {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
}

// Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and
// WEBSITE_RUN_FROM_PACKAGE: the runtime and the package location live in functionAppConfig.
resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, identitySettings, userAssignedSettings)
}

// No publishing with user names and passwords: azd and Core Tools deploy with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
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

output id string = functionApp.id
output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output uri string = 'https://${functionApp.properties.defaultHostName}'
// The principal that the role assignments are made for.
output principalId string = isUserAssigned ? userAssignedIdentityPrincipalId : functionApp.identity.principalId
