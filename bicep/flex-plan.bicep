// Flex Consumption hosting plan (Linux, FC1). One plan per function app.

@description('Name of the plan.')
param name string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags applied to the plan.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
