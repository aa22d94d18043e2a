using System.Text.Json;
using System.Text.RegularExpressions;

namespace CodePairs.Infra.Tests;

/// <summary>The security properties the deployment promises, asserted on the compiled ARM template.</summary>
public sealed class TemplateSecurityTests(CompiledTemplate template) : IClassFixture<CompiledTemplate>
{
    // Built-in role definition ids (the same in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private static readonly string[] SecretMarkers =
        ["AccountKey=", "SharedAccessSignature", "sig=", "SharedAccessKey=", "DefaultEndpointsProtocol="];

    private TemplateResource Site => template.OfType("Microsoft.Web/sites").Single();

    private Dictionary<string, string> AppSettings
    {
        get
        {
            var config = template.OfType("Microsoft.Web/sites/config").Single(r => r.Name.Contains("'appsettings'"));
            Assert.Equal(JsonValueKind.Object, config.Properties.ValueKind);
            return config.Properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }
    }

    [Fact]
    public void TemplateDeclaresTwoStorageAccountsForHostAndData()
    {
        var accounts = template.OfType("Microsoft.Storage/storageAccounts");
        Assert.Equal(2, accounts.Count);
        Assert.Equal(["data-storage", "host-storage"], accounts.Select(a => a.Module).Order());
    }

    [Fact]
    public void EveryStorageAccountRefusesSharedKeysAndAnonymousBlobAccess()
    {
        foreach (var account in template.OfType("Microsoft.Storage/storageAccounts"))
        {
            Assert.False(account.Properties.GetProperty("allowSharedKeyAccess").GetBoolean(), account.Module);
            Assert.False(account.Properties.GetProperty("allowBlobPublicAccess").GetBoolean(), account.Module);
            Assert.True(account.Properties.GetProperty("defaultToOAuthAuthentication").GetBoolean(), account.Module);
        }
    }

    [Fact]
    public void EveryStorageAccountRequiresHttpsAndTls12()
    {
        foreach (var account in template.OfType("Microsoft.Storage/storageAccounts"))
        {
            Assert.Equal("TLS1_2", account.Properties.GetProperty("minimumTlsVersion").GetString());
            Assert.True(account.Properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean(), account.Module);
        }
    }

    [Fact]
    public void EveryBlobContainerIsPrivate()
    {
        var containers = template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", c.Properties.GetProperty("publicAccess").GetString()));
    }

    [Fact]
    public void DataAccountGetsTheContainersQueuesAndTablesTheAppBindsTo()
    {
        var data = template.Module("data-storage");
        Assert.Equal(
            ["batches-in", "batches-out", "rules-archive", "rules-incoming", "rules-snapshots"],
            Strings(MainValue(data.Properties.GetProperty("parameters").GetProperty("containers").GetProperty("value"))).Order());
        Assert.Equal(
            ["batch-chunks", "batch-chunks-poison"],
            Strings(MainValue(data.Properties.GetProperty("parameters").GetProperty("queues").GetProperty("value"))).Order());
        Assert.Equal(
            ["RuleCatalog", "RuleEdits"],
            Strings(MainValue(data.Properties.GetProperty("parameters").GetProperty("tables").GetProperty("value"))).Order());
    }

    [Fact]
    public void FunctionAppIsHttpsOnlyWithTls12AndFtpDisabled()
    {
        var site = Site;
        Assert.True(site.Properties.GetProperty("httpsOnly").GetBoolean());
        var siteConfig = site.Properties.GetProperty("siteConfig");
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());
        Assert.Equal("1.2", siteConfig.GetProperty("scmMinTlsVersion").GetString());
        Assert.Equal("Disabled", siteConfig.GetProperty("ftpsState").GetString());

        var basicAuth = template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, basicAuth.Count);
        Assert.All(basicAuth, p => Assert.False(p.Properties.GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void FunctionAppRunsDotnetIsolated10OnAFlexConsumptionPlan()
    {
        var plan = template.OfType("Microsoft.Web/serverfarms").Single();
        Assert.Equal("FC1", plan.String("sku", "name"));
        Assert.Equal("FlexConsumption", plan.String("sku", "tier"));
        Assert.True(plan.Properties.GetProperty("reserved").GetBoolean());

        var site = Site;
        Assert.Equal("functionapp,linux", site.String("kind"));
        Assert.Equal("dotnet-isolated", site.String("properties", "functionAppConfig", "runtime", "name"));
        Assert.Equal("10.0", site.String("properties", "functionAppConfig", "runtime", "version"));
        Assert.Equal("UserAssignedIdentity", site.String("properties", "functionAppConfig", "deployment", "storage", "authentication", "type"));
    }

    [Fact]
    public void AlwaysReadyInstancesForTheHttpGroupAreAParameterDefaultingToNone()
    {
        var alwaysReady = Site.String("properties", "functionAppConfig", "scaleAndConcurrency", "alwaysReady");
        Assert.Contains("'http'", alwaysReady);
        Assert.Contains("parameters('alwaysReadyHttpInstances')", alwaysReady);
        Assert.Equal(0, template.Root.GetProperty("parameters").GetProperty("alwaysReadyHttpInstances").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void FunctionAppRunsAsTheUserAssignedIdentityOnly()
    {
        var identity = Site.Element.GetProperty("identity");
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject());
        Assert.Contains(
            "'identity'",
            template.Module("function-app").ModuleParameterOf("identityId"));
    }

    [Fact]
    public void NoAppSettingValueLooksLikeAKeyOrAConnectionStringWithASecret()
    {
        foreach (var (name, value) in AppSettings)
        {
            foreach (var marker in SecretMarkers)
            {
                Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{name} contains {marker}");
            }
        }

        // Nor anywhere else in the compiled template (listKeys of storage would put a key in a setting).
        foreach (var marker in SecretMarkers)
        {
            Assert.DoesNotContain(marker, template.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotMatch(new Regex(@"Microsoft\.Storage/storageAccounts[^)]*\)\s*,\s*'[^']*'\)\.keys", RegexOptions.IgnoreCase), template.Text);
        Assert.DoesNotContain("listAccountSas", template.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "host-storage")]
    [InlineData("CodePairsStorage", "data-storage")]
    public void ConnectionIsIdentityBasedAndPointsAtItsOwnAccount(string connection, string account)
    {
        var settings = AppSettings;
        Assert.False(settings.ContainsKey(connection), $"{connection} must not be set as a connection string in Azure");
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings[$"{connection}__clientId"]);

        var functionApp = template.Module("function-app");
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var parameter = Regex.Match(settings[$"{connection}__{service}ServiceUri"], @"^\[parameters\('(\w+)'\)\]$");
            Assert.True(parameter.Success, $"{connection}__{service}ServiceUri is not a plain parameter");
            var passed = functionApp.ModuleParameterOf(parameter.Groups[1].Value);
            Assert.Contains($"'{account}'", passed);
            Assert.Contains($"outputs.{service}Endpoint.value", passed);
        }
    }

    [Fact]
    public void TelemetrySettingsUseTheIdentityAndTheComponentConnectionString()
    {
        var settings = AppSettings;
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Contains("'monitoring'", template.Module("function-app").ModuleParameterOf("applicationInsightsConnectionString"));
        Assert.Contains("outputs.connectionString.value", template.Module("function-app").ModuleParameterOf("applicationInsightsConnectionString"));
    }

    [Fact]
    public void EveryFeatureSettingTheAppReadsIsSet()
    {
        var settings = AppSettings;
        foreach (var name in new[]
                 {
                     "RULES_REFRESH_SCHEDULE", "CodePairs__Rules__PollSeconds", "CodePairs__Rules__UrlSources",
                     "CodePairs__Batches__ChunkBytes", "CodePairs__Batches__DefaultSetting",
                 })
        {
            Assert.True(settings.ContainsKey(name), $"missing app setting {name}");
        }

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys); // Flex Consumption rejects it: runtime is in functionAppConfig
    }

    [Fact]
    public void EverySettingInTheLocalSampleExistsInAzureInItsIdentityBasedForm()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(template.RepositoryRoot, "local.settings.sample.json")));
        var settings = AppSettings;
        foreach (var local in sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name))
        {
            if (local is "FUNCTIONS_WORKER_RUNTIME" or "APPLICATIONINSIGHTS_CONNECTION_STRING" or "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"
                || local.StartsWith("_comment", StringComparison.Ordinal))
            {
                continue;
            }

            var azure = local is "AzureWebJobsStorage" or "CodePairsStorage" ? $"{local}__credential" : local;
            Assert.True(settings.ContainsKey(azure), $"local setting {local} has no Azure counterpart {azure}");
        }
    }

    [Fact]
    public void IdentityGetsExactlyTheStorageRolesEachAccountNeeds()
    {
        Assert.Equal(
            [StorageBlobDataOwner, StorageQueueDataContributor],
            IdentityRoles(template.Module("host-storage")));
        Assert.Equal(
            [StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor],
            IdentityRoles(template.Module("data-storage")));
    }

    [Fact]
    public void StorageRoleAssignmentsHaveDeterministicNamesAndAreScopedToTheirAccount()
    {
        var assignments = template.OfType("Microsoft.Authorization/roleAssignments").Where(r => r.Module.EndsWith("-storage", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, assignments.Count); // per account: the identity's loop and the optional operator
        foreach (var assignment in assignments)
        {
            Assert.StartsWith("[guid(resourceId('Microsoft.Storage/storageAccounts', parameters('name'))", assignment.Name);
            Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", assignment.Scope);
            Assert.Contains("Microsoft.Authorization/roleDefinitions", assignment.String("properties", "roleDefinitionId"));
        }

        var operatorAssignment = assignments.First(a => a.Name.Contains("operatorPrincipalId", StringComparison.Ordinal));
        Assert.Equal("[not(empty(parameters('operatorPrincipalId')))]", operatorAssignment.String("condition"));
        Assert.Equal(StorageBlobDataContributor, Variable(operatorAssignment, "storageBlobDataContributorRoleId"));
    }

    [Fact]
    public void IdentityMayPublishTelemetryToApplicationInsightsOnly()
    {
        var assignment = template.OfType("Microsoft.Authorization/roleAssignments").Single(r => r.Module == "monitoring");
        Assert.StartsWith("[guid(resourceId('Microsoft.Insights/components'", assignment.Name);
        Assert.Equal("[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]", assignment.Scope);
        Assert.Equal("ServicePrincipal", assignment.String("properties", "principalType"));
        Assert.Equal(MonitoringMetricsPublisher, Variable(assignment, "monitoringMetricsPublisherRoleId"));
    }

    [Fact]
    public void NoRoleAssignmentIsMadeAtSubscriptionScope()
    {
        Assert.DoesNotContain(template.Resources, r => r.Module == "main" && r.Type == "Microsoft.Authorization/roleAssignments");
        Assert.All(template.OfType("Microsoft.Authorization/roleAssignments"), r => Assert.NotNull(r.Scope));
    }

    [Fact]
    public void ApplicationInsightsAndLogAnalyticsAcceptOnlyEntraIdAuthentication()
    {
        var component = template.OfType("Microsoft.Insights/components").Single();
        Assert.True(component.Properties.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", component.String("properties", "WorkspaceResourceId"));
        var workspace = template.OfType("Microsoft.OperationalInsights/workspaces").Single();
        Assert.True(workspace.Properties.GetProperty("features").GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void EventGridDeliversBlobCreatedOnBatchesInToTheBlobExtensionWebhook()
    {
        var topic = template.OfType("Microsoft.EventGrid/systemTopics").Single();
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.String("properties", "topicType"));

        var subscription = template.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();
        var filter = subscription.Properties.GetProperty("filter");
        Assert.Equal(["Microsoft.Storage.BlobCreated"], Strings(filter.GetProperty("includedEventTypes")));
        Assert.Contains("/blobServices/default/containers/{0}/blobs/", filter.GetProperty("subjectBeginsWith").GetString());
        Assert.Contains("parameters('containerName')", filter.GetProperty("subjectBeginsWith").GetString());

        var endpoint = subscription.String("properties", "destination", "properties", "endpointUrl");
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{", endpoint);
        Assert.Contains("systemKeys.blobs_extension", endpoint);
        Assert.Equal("WebHook", subscription.String("properties", "destination", "endpointType"));

        var events = template.Module("blob-events");
        Assert.Equal("batches-in", events.ModuleParameterOf("containerName"));
        Assert.Equal("ValidateBatchBlob", events.ModuleParameterOf("functionName"));
        Assert.Equal("[parameters('wireBlobEvents')]", events.ModuleParameterOf("createSubscription"));
    }

    [Fact]
    public void TemplateOutputsWhatAzdAndTheHooksUse()
    {
        var outputs = template.Root.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet();
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "SERVICE_API_URI", "AZURE_STORAGE_ACCOUNT_NAME" })
        {
            Assert.Contains(name, outputs);
        }
    }

    [Fact]
    public void InfraUsesOnlyLocalModulesAndHoldsNoSecret()
    {
        var files = Directory.EnumerateFiles(Path.Combine(template.RepositoryRoot, "infra"), "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("br/public:", text);
            Assert.DoesNotContain("br:", text);
            foreach (var marker in SecretMarkers)
            {
                Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{file} contains {marker}");
            }

            Assert.DoesNotMatch(new Regex(@"InstrumentationKey=[0-9a-f]{8}-", RegexOptions.IgnoreCase), text);
        }
    }

    // A module parameter given as `[variables('name')]` in main: the variable's value; otherwise the value itself.
    private JsonElement MainValue(JsonElement value)
    {
        var match = value.ValueKind == JsonValueKind.String ? Regex.Match(value.GetString()!, @"^\[variables\('(\w+)'\)\]$") : Match.Empty;
        return match.Success ? template.Root.GetProperty("variables").GetProperty(match.Groups[1].Value) : value;
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private List<string> IdentityRoles(TemplateResource storageModule)
    {
        var assignments = storageModule.Properties.GetProperty("parameters").GetProperty("roleAssignments").GetProperty("value");
        Assert.Equal(JsonValueKind.Array, assignments.ValueKind);
        foreach (var assignment in assignments.EnumerateArray())
        {
            Assert.Equal("ServicePrincipal", assignment.GetProperty("principalType").GetString());
            Assert.Contains("'identity'", assignment.GetProperty("principalId").GetString());
            Assert.Contains("outputs.principalId.value", assignment.GetProperty("principalId").GetString());
        }

        return assignments.EnumerateArray().Select(a => RoleId(a.GetProperty("roleDefinitionId").GetString()!)).ToList();
    }

    // Role ids are passed as `variables('roles').<name>` from main; resolve them against main's variables.
    private string RoleId(string value)
    {
        var match = Regex.Match(value, @"^\[variables\('roles'\)\.(\w+)\]$");
        Assert.True(match.Success, $"role definition id is not one of main's roles: {value}");
        return template.Root.GetProperty("variables").GetProperty("roles").GetProperty(match.Groups[1].Value).GetString()!;
    }

    private string Variable(TemplateResource resource, string name)
    {
        var module = template.Module(resource.Module);
        return module.Properties.GetProperty("template").GetProperty("variables").GetProperty(name).GetString()!;
    }
}
