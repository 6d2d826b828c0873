namespace ChatOps.Integrations.Storage;

/// <summary>Why the state store cannot be written, as far as the bot can do nothing about it.</summary>
public enum StorageFaultKind
{
    /// <summary>The disk (or <see cref="StorageOptions.MaxSizeBytes"/>) has no room (SQLITE_FULL, PostgreSQL 53100).</summary>
    Full,

    /// <summary>The file or its folder may only be read (SQLITE_READONLY), or the server takes no writes (PostgreSQL 25006).</summary>
    ReadOnly,

    /// <summary>The disk failed a read or write (SQLITE_IOERR).</summary>
    IoError,

    /// <summary>The file cannot be opened or created (SQLITE_CANTOPEN), or the database server cannot be reached.</summary>
    CannotOpen,
}

/// <summary>
/// A failure of the disk under the state store, told apart from bugs so that callers can say what
/// is wrong (507 or 503, unhealthy, a one-line reason at start) instead of a bare 500.
/// </summary>
public sealed record StorageFault(StorageFaultKind Kind, string Reason)
{
    /// <summary>
    /// What went wrong without where: for whoever sent the request. <see cref="Reason"/> names the file or the database
    /// server, which is for the host's log and its operator, not for every chat client.
    /// </summary>
    public string Summary => Kind switch
    {
        StorageFaultKind.Full => "the state store is full",
        StorageFaultKind.ReadOnly => "the state store is read-only",
        StorageFaultKind.IoError => "the state store's disk failed a read or write",
        _ => "the state store cannot be opened or reached",
    };

    /// <summary>
    /// Every dialect's mapping from its provider's errors. Each recognises only its own provider's exception
    /// type, so asking all of them is unambiguous, and callers need not know which engine is configured.
    /// </summary>
    private static readonly Func<Exception, StorageFault?>[] DialectMappings = [SqliteDialect.MapFault, e => PostgresDialect.MapFault(e, null)];

    /// <summary>The fault behind <paramref name="exception"/> (or one it wraps), or null when it is something else.</summary>
    public static StorageFault? From(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            foreach (var map in DialectMappings)
            {
                if (map(e) is { } fault)
                {
                    return fault;
                }
            }
        }

        return null;
    }
}
