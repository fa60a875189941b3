// The app's hub on the Web PubSub service, and its event handler: the function app's CloudEvents
// endpoint for the connected and disconnected events. With access keys disabled there is no
// ce-signature the app could check, so the service authenticates each call with a token it gets
// with its own managed identity for `eventAudience` (auth type ManagedIdentity); the app checks
// that token (WEBPUBSUB_EVENT_* settings). Deployed after the function app, whose host name the
// handler URL needs.

@description('Name of the Web PubSub service (web-pubsub.bicep).')
param webPubSubName string

@description('Hub the app publishes to.')
param hubName string = 'marketplace'

@description('URL of the app\'s event handler, e.g. https://func-x.azurewebsites.net/api/v1/realtime/webpubsub.')
param eventHandlerUrl string

@description('Audience (`aud`) of the token the service sends with each event; the app is configured with the same value.')
param eventAudience string

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    // Clients connect only with a token the app issued.
    anonymousConnectPolicy: 'deny'
    eventHandlers: [
      {
        urlTemplate: eventHandlerUrl
        systemEvents: [
          'connected'
          'disconnected'
        ]
        auth: {
          type: 'ManagedIdentity'
          managedIdentity: {
            resource: eventAudience
          }
        }
      }
    ]
  }
}

output hubName string = hub.name
