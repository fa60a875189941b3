// Azure Web PubSub for real-time status pushes, with access keys disabled: the app gets client
// access tokens and calls the REST API with its managed identity (Web PubSub Service Owner). The
// service has its own (system-assigned) identity, whose token authenticates the events it sends to
// the app; the hub and its event handler are in web-pubsub-hub.bicep, deployed after the app.

@description('Name of the Web PubSub service.')
@minLength(3)
@maxLength(63)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the service.')
param tags object = {}

@description('Pricing tier: Free_F1 for trials (no SLA), Standard_S1 for production.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param skuName string = 'Standard_S1'

@description('Units of the tier.')
@minValue(1)
param capacity int = 1

@description('Resource ID of the Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

var skuTiers = {
  Free_F1: 'Free'
  Standard_S1: 'Standard'
  Premium_P1: 'Premium'
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTiers[skuName]
    capacity: capacity
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
    tls: {
      clientCertEnabled: false
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webPubSub
  properties: {
    workspaceId: logAnalyticsWorkspaceId
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

output id string = webPubSub.id
output name string = webPubSub.name
output endpoint string = 'https://${webPubSub.properties.hostName}'
// The app accepts events only with a token whose `oid` is this identity.
output principalId string = webPubSub.identity.principalId
