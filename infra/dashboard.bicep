// Azure portal dashboard for operators of the FoodXchange Expert Marketplace backend.
// Rows: function executions and failures; HTTP 5xx rate and latency (Application Insights);
// Service Bus active and dead-lettered messages; Cosmos DB request units and throttling (429);
// the functions failing most often.

@description('Name of the dashboard resource.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the dashboard.')
param tags object = {}

@description('Resource ID of the Application Insights component.')
param applicationInsightsId string

@description('Resource ID of the function app.')
param functionAppId string

@description('Resource ID of the Service Bus namespace.')
param serviceBusNamespaceId string

@description('Resource ID of the Cosmos DB account.')
param cosmosAccountId string

// Portal metric chart aggregation codes.
var agg = {
  sum: 1
  max: 3
  avg: 4
  count: 7
}

var lineChart = {
  chartType: 2
  legendVisualization: {
    isVisible: true
    position: 2
    hideSubtitle: false
  }
  axisVisualization: {
    x: {
      isVisible: true
      axisType: 2
    }
    y: {
      isVisible: true
      axisType: 1
    }
  }
}

var chartDefaults = {
  titleKind: 2
  visualization: lineChart
}

// Azure Monitor metric charts: position and the chart options (metrics, title, and for some a
// split by dimension or a filter).
var metricCharts = [
  {
    x: 0
    y: 2
    options: {
      title: 'Function executions (Flex Consumption)'
      metrics: [
        {
          resourceMetadata: {
            id: functionAppId
          }
          name: 'OnDemandFunctionExecutionCount'
          aggregationType: agg.sum
          namespace: 'microsoft.web/sites'
          metricVisualization: {
            displayName: 'On-demand executions'
          }
        }
        {
          resourceMetadata: {
            id: functionAppId
          }
          name: 'AlwaysReadyFunctionExecutionCount'
          aggregationType: agg.sum
          namespace: 'microsoft.web/sites'
          metricVisualization: {
            displayName: 'Always-ready executions'
          }
        }
      ]
    }
  }
  {
    x: 0
    y: 10
    options: {
      title: 'Service Bus active messages by entity'
      metrics: [
        {
          resourceMetadata: {
            id: serviceBusNamespaceId
          }
          name: 'ActiveMessages'
          aggregationType: agg.max
          namespace: 'microsoft.servicebus/namespaces'
          metricVisualization: {
            displayName: 'Active messages'
          }
        }
      ]
      grouping: {
        dimension: 'EntityName'
        sort: 2
        top: 10
      }
    }
  }
  {
    x: 6
    y: 10
    options: {
      title: 'Service Bus dead-lettered messages by entity'
      metrics: [
        {
          resourceMetadata: {
            id: serviceBusNamespaceId
          }
          name: 'DeadletteredMessages'
          aggregationType: agg.max
          namespace: 'microsoft.servicebus/namespaces'
          metricVisualization: {
            displayName: 'Dead-lettered messages'
          }
        }
      ]
      grouping: {
        dimension: 'EntityName'
        sort: 2
        top: 10
      }
    }
  }
  {
    x: 0
    y: 14
    options: {
      title: 'Cosmos DB request units by container'
      metrics: [
        {
          resourceMetadata: {
            id: cosmosAccountId
          }
          name: 'TotalRequestUnits'
          aggregationType: agg.sum
          namespace: 'microsoft.documentdb/databaseaccounts'
          metricVisualization: {
            displayName: 'Request units'
          }
        }
      ]
      grouping: {
        dimension: 'CollectionName'
        sort: 2
        top: 10
      }
    }
  }
  {
    x: 6
    y: 14
    options: {
      title: 'Cosmos DB throttled requests (429)'
      metrics: [
        {
          resourceMetadata: {
            id: cosmosAccountId
          }
          name: 'TotalRequests'
          aggregationType: agg.count
          namespace: 'microsoft.documentdb/databaseaccounts'
          metricVisualization: {
            displayName: 'Requests with status 429'
          }
        }
      ]
      filterCollection: {
        filters: [
          {
            key: 'StatusCode'
            operator: 0
            values: [
              '429'
            ]
          }
        ]
      }
      grouping: {
        dimension: 'CollectionName'
        sort: 2
        top: 10
      }
    }
  }
]

var metricParts = [
  for chart in metricCharts: {
    position: {
      x: chart.x
      y: chart.y
      colSpan: 6
      rowSpan: 4
    }
    metadata: {
      inputs: [
        {
          name: 'options'
          value: {
            chart: union(chart.options, chartDefaults)
          }
        }
        {
          name: 'sharedTimeRange'
          isOptional: true
        }
      ]
      type: 'Extension/HubsExtension/PartType/MonitorChartPart'
      settings: {}
    }
  }
]

// Log (KQL) charts over Application Insights. Every function invocation is a row in `requests`;
// HTTP-triggered ones carry the URL.
var executionsQuery = '''
requests
| summarize Executions = count(), Failures = countif(success == false) by bin(timestamp, 5m)
| render timechart
'''

var http5xxQuery = '''
requests
| where url startswith "http"
| summarize Total = count(), Errors5xx = countif(toint(resultCode) >= 500) by bin(timestamp, 5m)
| extend Rate5xxPercent = iff(Total == 0, 0.0, round(100.0 * Errors5xx / Total, 2))
| project timestamp, Rate5xxPercent
| render timechart
'''

var latencyQuery = '''
requests
| where url startswith "http"
| summarize p50 = percentile(duration, 50), p95 = percentile(duration, 95), p99 = percentile(duration, 99) by bin(timestamp, 5m)
| render timechart
'''

var topFailuresQuery = '''
requests
| where success == false
| summarize Failures = count(), LastSeen = max(timestamp) by Function = operation_Name, ResultCode = resultCode
| top 15 by Failures desc
'''

var logCharts = [
  {
    x: 6
    y: 2
    colSpan: 6
    title: 'Function executions and failures'
    query: executionsQuery
    controlType: 'FrameControlChart'
    specificChart: 'Line'
  }
  {
    x: 0
    y: 6
    colSpan: 6
    title: 'HTTP 5xx rate (%)'
    query: http5xxQuery
    controlType: 'FrameControlChart'
    specificChart: 'Line'
  }
  {
    x: 6
    y: 6
    colSpan: 6
    title: 'HTTP latency p50 / p95 / p99 (ms)'
    query: latencyQuery
    controlType: 'FrameControlChart'
    specificChart: 'Line'
  }
  {
    x: 0
    y: 18
    colSpan: 12
    title: 'Failing functions (most failures first)'
    query: topFailuresQuery
    controlType: 'AnalyticsGrid'
    specificChart: ''
  }
]

var logParts = [
  for chart in logCharts: {
    position: {
      x: chart.x
      y: chart.y
      colSpan: chart.colSpan
      rowSpan: 4
    }
    metadata: {
      inputs: [
        {
          name: 'resourceTypeMode'
          isOptional: true
        }
        {
          name: 'ComponentId'
          isOptional: true
        }
        {
          name: 'Scope'
          value: {
            resourceIds: [
              applicationInsightsId
            ]
          }
          isOptional: true
        }
        {
          name: 'Version'
          value: '2.0'
          isOptional: true
        }
        {
          name: 'TimeRange'
          value: 'PT24H'
          isOptional: true
        }
        {
          name: 'Query'
          value: chart.query
          isOptional: true
        }
        {
          name: 'ControlType'
          value: chart.controlType
          isOptional: true
        }
        {
          name: 'SpecificChart'
          value: chart.specificChart
          isOptional: true
        }
        {
          name: 'PartTitle'
          value: chart.title
          isOptional: true
        }
        {
          name: 'PartSubTitle'
          value: 'Application Insights'
          isOptional: true
        }
        {
          name: 'IsQueryContainTimeRange'
          value: false
          isOptional: true
        }
      ]
      type: 'Extension/Microsoft_OperationsManagementSuite_Workspace/PartType/LogsDashboardPart'
      settings: {}
    }
  }
]

var headerPart = {
  position: {
    x: 0
    y: 0
    colSpan: 12
    rowSpan: 2
  }
  metadata: {
    inputs: []
    type: 'Extension/HubsExtension/PartType/MarkdownPart'
    settings: {
      content: {
        settings: {
          content: '## FoodXchange Expert Marketplace: operations\n\nExecutions and failures come from Application Insights (`requests`) and the Flex Consumption execution metrics. A rising **dead-lettered** count means messages failed 10 deliveries: inspect them before resubmitting. **429s** on Cosmos DB mean the serverless account is throttling a container. See docs/deploy.md, section "Dashboard".'
          title: ''
          subtitle: ''
        }
      }
    }
  }
}

var headerParts = [
  headerPart
]

var allParts = concat(headerParts, metricParts, logParts)

resource dashboard 'Microsoft.Portal/dashboards@2020-09-01-preview' = {
  name: name
  location: location
  tags: union(tags, { 'hidden-title': 'FoodXchange marketplace operations' })
  properties: {
    lenses: [
      {
        order: 0
        parts: allParts
      }
    ]
    metadata: {
      model: {
        timeRange: {
          value: {
            relative: {
              duration: 24
              timeUnit: 1
            }
          }
          type: 'MsPortalFx.Composition.Configuration.ValueTypes.TimeRange'
        }
        filterLocale: {
          value: 'en-us'
        }
        filters: {
          value: {
            MsPortalFx_TimeRange: {
              model: {
                format: 'utc'
                granularity: 'auto'
                relative: '24h'
              }
            }
          }
        }
      }
    }
  }
}

output id string = dashboard.id
output name string = dashboard.name
