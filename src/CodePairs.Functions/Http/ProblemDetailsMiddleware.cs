using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace CodePairs.Functions.Http;

/// <summary>Turns any unexpected exception into a 500 ProblemDetails that leaks nothing but a trace id.</summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? context.InvocationId;
            Log.Unhandled(logger, e, context.FunctionDefinition.Name, traceId);
            var http = context.GetHttpContext();
            if (http is null || http.Response.HasStarted) throw; // not HTTP: let the host retry/poison
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await Problems.Internal(traceId).ExecuteAsync(http);
        }
    }
}
