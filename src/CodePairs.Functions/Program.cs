using CodePairs.Functions;
using CodePairs.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddCodePairs(builder.Configuration);
builder.AddCodePairsTelemetry();

builder.Build().Run();

