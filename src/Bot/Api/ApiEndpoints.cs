using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Api;

/// <summary><c>/api/environments</c>, <c>/api/runs</c> and <c>/api/audit</c>: read-only JSON.</summary>
public static class ApiEndpoints
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapReadApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/environments", async (EnvironmentCatalog catalog, EnvironmentSnapshots snapshots, CancellationToken ct) =>
        {
            var all = new List<object>();
            foreach (var environment in catalog.All)
            {
                all.Add(ApiModels.Environment(await snapshots.ReadAsync(environment, ct)));
            }

            return Results.Ok(all);
        });
        api.MapGet("/environments/{name}", async (string name, EnvironmentCatalog catalog, EnvironmentSnapshots snapshots, CancellationToken ct) =>
            catalog.Find(name) is { } environment
                ? Results.Ok(ApiModels.Environment(await snapshots.ReadAsync(environment, ct)))
                : NoEnvironment(name));
        api.MapGet("/runs", async (string? env, int? limit, EnvironmentCatalog catalog, RunStore runs, CancellationToken ct) =>
        {
            if (env is not null && catalog.Find(env) is null)
            {
                return NoEnvironment(env);
            }

            if (limit is < 1 or > MaxLimit)
            {
                return Results.Problem(detail: $"`limit` must be from 1 to {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok((await runs.ListAsync(env?.ToLowerInvariant(), limit ?? 50, ct)).Select(ApiModels.Run));
        });
        api.MapGet("/runs/{id:long}", async (long id, RunStore runs, CancellationToken ct) =>
            await runs.GetAsync(id, ct) is { } run
                ? Results.Ok(ApiModels.Run(run))
                : Results.Problem(detail: $"There is no run {id}.", statusCode: StatusCodes.Status404NotFound));
        api.MapGet("/audit", async (string? env, long? after, int? limit, AuditTrail audit, CancellationToken ct) =>
            limit is < 1 or > MaxLimit
                ? Results.Problem(detail: $"`limit` must be from 1 to {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest)
                : Results.Ok((await audit.ListAsync(env?.ToLowerInvariant(), after ?? 0, limit ?? MaxLimit, ct)).Select(ApiModels.Audit)));
        api.MapGet("/audit/verify", async (AuditTrail audit, CancellationToken ct) => Results.Ok(await audit.VerifyAsync(ct)));
        return app;
    }

    private static IResult NoEnvironment(string name) =>
        Results.Problem(detail: $"There is no environment `{name}`.", statusCode: StatusCodes.Status404NotFound);
}
