using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

/// <summary>Where state lives. The embedded default is a SQLite file under <c>data/</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The engine that keeps state. <value>Default: <see cref="StorageProvider.Sqlite"/>.</value></summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// A connection string for <see cref="Provider"/>: SQLite's (<c>Data Source=…</c>), or Npgsql's for PostgreSQL, which must
    /// name <c>Host</c> and <c>Database</c> (keep its password in user-secrets or the environment).
    /// <value>Default: <c>Data Source=data/chatops.db</c>, relative to the content root.</value>
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/chatops.db";

    /// <summary>
    /// SQLite only: the most the file may grow to; past it writes fail as on a full disk (507), so the bot
    /// never fills a disk it shares. Read again for each new connection. <value>Default: none.</value>
    /// </summary>
    [Range(65536, long.MaxValue)]
    public long? MaxSizeBytes { get; set; }

    /// <summary>
    /// PostgreSQL: how often a replica still looks for other replicas' work (commands and messages queued, web chat posts)
    /// while it hears their notifications, in case one was missed. While it does not (the listener reconnecting, or SQLite)
    /// each part polls at its own, shorter, interval. <value>Default: 30 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan NotifiedPollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The engines the state store runs on.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file: one process, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: the store several replicas share.</summary>
    Postgres,
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
