using ChatOps.Bot.Audit;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Hosting;

/// <summary>Command-line verbs that use the host's configuration but do not serve: <c>audit verify</c>.</summary>
public static class CliVerbs
{
    public static bool Matches(string[] args) => args is ["audit", "verify", ..];

    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<StateDatabase>().InitializeAsync(CancellationToken.None);
        var result = await app.Services.GetRequiredService<AuditTrail>().VerifyAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync(result.Valid
            ? $"Audit trail valid: {result.Records} records."
            : $"Audit trail BROKEN at record {result.BrokenAt}: {result.Reason}.");
        return result.Valid ? 0 : 1;
    }
}
