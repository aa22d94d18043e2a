using CodePairs.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Moq;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

public class ProblemDetailsMiddlewareTests
{
    /// <summary>A function context for ValidateClaim (invocation inv-1), with the HTTP context when given.</summary>
    internal static Mock<FunctionContext> Context(HttpContext? http)
    {
        var items = new Dictionary<object, object>();
        if (http is not null) items["HttpRequestContext"] = http;
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("ValidateClaim");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(items);
        context.SetupGet(c => c.InvocationId).Returns("inv-1");
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        return context;
    }

    [Fact]
    public async Task TurnsAnUnexpectedExceptionIntoA500ProblemWithoutInternals()
    {
        var logs = new List<string>();
        var request = Request("POST", "{}");
        var middleware = new ProblemDetailsMiddleware(Logger<ProblemDetailsMiddleware>(logs));
        await middleware.Invoke(Context(request.HttpContext).Object, _ => throw new InvalidOperationException("secret connection detail"));

        var response = request.HttpContext.Response;
        Assert.Equal(500, response.StatusCode);
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body).ReadToEndAsync();
        Assert.Contains("\"title\":\"Internal error\"", text);
        Assert.Contains("traceId", text);
        Assert.DoesNotContain("secret", text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.Contains(logs, l => l.Contains("secret connection detail")); // the log keeps the exception for operators
    }

    [Fact]
    public async Task RethrowsForNonHttpTriggersSoTheHostRetries()
    {
        var middleware = new ProblemDetailsMiddleware(Logger<ProblemDetailsMiddleware>([]));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            middleware.Invoke(Context(null).Object, _ => throw new InvalidOperationException("transient")));
    }
}
