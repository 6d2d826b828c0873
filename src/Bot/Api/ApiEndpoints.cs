using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Api;

/// <summary><c>/api/environments</c>, <c>/api/runs</c> and <c>/api/audit</c>: read-only JSON.</summary>
internal static class ApiEndpoints
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapReadApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/environments", async (EnvironmentCatalog catalog, EnvironmentSnapshots snapshots, RunMessages messages, CancellationToken ct) =>
        {
            var all = new List<object>();
            foreach (var environment in catalog.All)
            {
                all.Add(await EnvironmentAsync(await snapshots.ReadAsync(environment, ct), messages, ct));
            }

            return Results.Ok(all);
        });
        api.MapGet("/environments/{name}", async (string name, EnvironmentCatalog catalog, EnvironmentSnapshots snapshots, RunMessages messages, CancellationToken ct) =>
            catalog.Find(name) is { } environment
                ? Results.Ok(await EnvironmentAsync(await snapshots.ReadAsync(environment, ct), messages, ct))
                : NoEnvironment(name));
        api.MapGet("/runs", async (string? env, int? limit, EnvironmentCatalog catalog, RunStore runs, RunMessages messages, CancellationToken ct) =>
        {
            if (env is not null && catalog.Find(env) is null)
            {
                return NoEnvironment(env);
            }

            if (limit is < 1 or > MaxLimit)
            {
                return Results.Problem(detail: $"`limit` must be from 1 to {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var all = new List<object>();
            foreach (var run in await runs.ListAsync(env?.ToLowerInvariant(), limit ?? 50, ct))
            {
                all.Add(ApiModels.Run(run, await messages.GetMessageIdAsync(run.Id, ct)));
            }

            return Results.Ok(all);
        });
        api.MapGet("/runs/{id:long}", async (long id, RunStore runs, RunMessages messages, CancellationToken ct) =>
            await runs.GetAsync(id, ct) is { } run
                ? Results.Ok(ApiModels.Run(run, await messages.GetMessageIdAsync(run.Id, ct)))
                : Results.Problem(detail: $"There is no run {id}.", statusCode: StatusCodes.Status404NotFound));
        api.MapGet("/audit", async (string? env, long? after, int? limit, AuditTrail audit, CancellationToken ct) =>
            limit is < 1 or > MaxLimit
                ? Results.Problem(detail: $"`limit` must be from 1 to {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest)
                : Results.Ok((await audit.ListAsync(env?.ToLowerInvariant(), after ?? 0, limit ?? MaxLimit, ct)).Select(ApiModels.Audit)));
        api.MapGet("/audit/verify", async (AuditTrail audit, CancellationToken ct) => Results.Ok(await audit.VerifyAsync(ct)));
        return app;
    }

    private static async Task<object> EnvironmentAsync(EnvironmentSnapshot snapshot, RunMessages messages, CancellationToken cancellationToken) =>
        ApiModels.Environment(snapshot, snapshot.LastRun is { } run ? await messages.GetMessageIdAsync(run.Id, cancellationToken) : null);

    private static IResult NoEnvironment(string name) =>
        Results.Problem(detail: $"There is no environment `{name}`.", statusCode: StatusCodes.Status404NotFound);
}
