using System.Data.Common;
using ChatOps.Bot.Cli;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Copy;

namespace ChatOps.Bot.Storage;

/// <summary>
/// <c>storage-copy --from FILE [--to CONNECTION-STRING]</c>: copies the state of a stopped bot's SQLite file into an empty
/// PostgreSQL database (<see cref="StateCopier"/>), the step from one process to several replicas. The target is
/// <c>--to</c>, or <c>Storage:ConnectionString</c> when <c>Storage:Provider</c> is <c>Postgres</c>, so the settings the
/// replicas will run with can be used as they are. Prints the rows copied per table. Exit codes: 0 copied, 2 bad
/// arguments or a copy refused (the target then keeps nothing).
/// </summary>
internal sealed class StorageCopyVerb() : CliVerb(
    Verb,
    StorageCopyArguments.Options,
    "--from <SQLite file | SQLite connection string> [--to <PostgreSQL connection string>]",
    [
        "  Copies every table of a stopped bot's SQLite state store into an empty PostgreSQL database, in one transaction.",
        "  --from  the SQLite file (relative to the current folder), or a connection string (Data Source=… relative to the content root,",
        "          as Storage:ConnectionString is). Stop the bot first: a replica that beat within Replicas:DeadAfter is refused.",
        "  --to    an Npgsql connection string (Host=…;Database=…). Default: Storage:ConnectionString, when Storage:Provider is Postgres.",
        "  The target is migrated to this build's schema; the source must be at the same version, and the target may hold no rows.",
    ])
{
    private const string Verb = "storage-copy";

    protected override async Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var host = services.GetRequiredService<IHostEnvironment>();
        if (!StorageCopyArguments.TryParse(args, configuration, host.ContentRootPath, out var copy, out var problem))
        {
            return await RefuseArgumentsAsync(error, problem);
        }

        var replicas = configuration.GetSection(ReplicaOptions.SectionName).Get<ReplicaOptions>() ?? new ReplicaOptions();
        var copier = new StateCopier(
            [.. services.GetServices<IStateSchema>()], host, services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetService<ILoggerFactory>());
        var target = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = copy.Target };
        await output.WriteLineAsync($"Copying {copy.SourceFile} into {copy.TargetName}. The bot must be stopped while it runs.");
        StateCopyReport report;
        try
        {
            report = await copier.CopyAsync(copy.SourceFile, target, replicas.DeadAfter, cancellationToken);
        }
        catch (StateCopyRefusedException refused)
        {
            await error.WriteLineAsync($"{Verb}: {refused.Message}");
            return UsageError;
        }
        catch (DbException ex)
        {
            await error.WriteLineAsync($"{Verb}: nothing was copied: {ex.Message}");
            return UsageError;
        }

        var width = report.Tables.Select(t => t.Table.Length).DefaultIfEmpty(0).Max();
        foreach (var table in report.Tables)
        {
            await output.WriteLineAsync($"  {table.Table.PadRight(width)}  {table.Rows,10:N0}");
        }

        await output.WriteLineAsync($"Copied {report.TotalRows:N0} rows in {report.Tables.Count} tables at schema version {report.SchemaVersion}. Start the replicas on {copy.TargetName}.");
        return 0;
    }
}
