// Azure OpenAI for semantic matching: the function app's managed identity may call the account's
// deployments (embeddings, chat) and nothing more — Cognitive Services OpenAI User on that one
// account. The account and its deployments are not created here: they are often shared, in
// another resource group (main.bicep deploys this module there, only when an account is named).

@description('Principal (object) ID of the function app\'s managed identity.')
param principalId string

@description('Name of the existing Azure OpenAI account.')
param openAiAccountName string

// Built-in role definitions used here, by name. The GUIDs are the same in every tenant.
var builtInRoles = {
  'Cognitive Services OpenAI User': '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource openAiUserRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(openAi.id, principalId, builtInRoles['Cognitive Services OpenAI User'])
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Cognitive Services OpenAI User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

