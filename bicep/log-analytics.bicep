// Log Analytics workspace: the sink for Application Insights and every diagnostic setting.

@description('Name of the workspace.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the workspace.')
param tags object = {}

@description('Days of retention for interactive queries.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Only Entra ID (RBAC) access: no workspace shared keys for ingestion or queries.
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output id string = workspace.id
output name string = workspace.name
