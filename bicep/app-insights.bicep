// Workspace-based Application Insights with local (instrumentation key) auth disabled: telemetry is
// accepted only with an Entra ID token, which the Functions host gets from the app's managed identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) and which needs Monitoring Metrics Publisher.

@description('Name of the Application Insights component.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the component.')
param tags object = {}

@description('Resource ID of the Log Analytics workspace that stores the telemetry.')
param logAnalyticsWorkspaceId string

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspaceId
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output id string = appInsights.id
output name string = appInsights.name
