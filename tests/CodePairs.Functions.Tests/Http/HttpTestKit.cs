using System.Text;
using System.Text.Json;
using CodePairs.Functions.Http;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;

namespace CodePairs.Functions.Tests.Http;

/// <summary>Runs functions against DefaultHttpContext and executes their IResult the way the host does.</summary>
internal static class HttpTestKit
{
    public static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .ConfigureHttpJsonOptions(ServiceRegistration.ConfigureJson)
        .BuildServiceProvider();

    public static IOptions<ApiOptions> Api(Action<ApiOptions>? change = null)
    {
        var o = new ApiOptions();
        change?.Invoke(o);
        return Options.Create(o);
    }

    public static LoadedRules Loaded(bool withPack = true)
    {
        var rules = TestRules.Set.Value;
        return new LoadedRules(rules, new ClaimValidator(rules, withPack ? [RulePack.Fluoroscopy77003] : null), "rs-000000000322", DateTimeOffset.UnixEpoch);
    }

    public static Mock<IActiveRules> ActiveRules(LoadedRules? loaded)
    {
        var mock = new Mock<IActiveRules>();
        mock.SetupGet(r => r.Current).Returns(loaded);
        mock.Setup(r => r.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(loaded);
        return mock;
    }

    public static HttpRequest Request(string method, string? body = null, string contentType = "application/json", string? query = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        if (query is not null) context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> Execute(IResult result, HttpRequest request)
    {
        var context = request.HttpContext;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (context.Response.StatusCode, body, context.Response.Headers);
    }

    public static ILogger<T> Logger<T>(List<string> sink) => new ListLogger<T>(sink);

    private sealed class ListLogger<T>(List<string> sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (sink) sink.Add(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
