// Service Bus namespace (Standard, needed for topics) with SAS/local auth disabled: senders and
// receivers authenticate with Entra ID only.
//  - queue `rfq-events`: request-for-quote events from the FoodXchange RFQ system.
//  - topic `marketplace-events` with the subscriptions `notifications` and `analytics`, and
//    `event-relay`, the app's own: each event that reached the topic comes back there once, which
//    is how the relay (functions/events.*.ts) knows it was published.

@description('Name of the namespace.')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags object = {}

@description('Resource ID of the Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Queue that receives RFQ events.')
param rfqQueueName string = 'rfq-events'

@description('Topic for events the marketplace publishes.')
param eventsTopicName string = 'marketplace-events'

@description('Subscriptions on the events topic.')
param eventsTopicSubscriptions array = [
  'notifications'
  'analytics'
  'event-relay'
]

@description('Deliveries before a message moves to the dead-letter sub-queue.')
@minValue(1)
param maxDeliveryCount int = 10

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource rfqQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: rfqQueueName
  properties: {
    maxDeliveryCount: maxDeliveryCount
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    requiresSession: false
    enablePartitioning: false
    enableBatchedOperations: true
    maxSizeInMegabytes: 1024
  }
}

resource eventsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: eventsTopicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    enablePartitioning: false
    enableBatchedOperations: true
    supportOrdering: true
    maxSizeInMegabytes: 1024
  }
}

resource topicSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for subscriptionName in eventsTopicSubscriptions: {
    parent: eventsTopic
    name: subscriptionName
    properties: {
      maxDeliveryCount: maxDeliveryCount
      lockDuration: 'PT1M'
      defaultMessageTimeToLive: 'P14D'
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      requiresSession: false
      enableBatchedOperations: true
    }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
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

output id string = namespace.id
output name string = namespace.name
// serviceBusEndpoint looks like https://<name>.servicebus.windows.net:443/ ; the host name alone is
// what identity-based connections (ServiceBusConnection__fullyQualifiedNamespace) expect.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
output rfqQueueName string = rfqQueue.name
output eventsTopicName string = eventsTopic.name
