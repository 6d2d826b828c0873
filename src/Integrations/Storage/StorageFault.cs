using Microsoft.Data.Sqlite;

namespace ChatOps.Integrations.Storage;

/// <summary>Why the state store cannot be written, as far as the bot can do nothing about it.</summary>
public enum StorageFaultKind
{
    /// <summary>SQLITE_FULL: the disk (or <see cref="StorageOptions.MaxSizeBytes"/>) has no room.</summary>
    Full,

    /// <summary>SQLITE_READONLY: the file or its folder may only be read.</summary>
    ReadOnly,

    /// <summary>SQLITE_IOERR: the disk failed a read or write.</summary>
    IoError,

    /// <summary>SQLITE_CANTOPEN: the file cannot be opened or created.</summary>
    CannotOpen,
}

/// <summary>
/// A failure of the disk under the state store, told apart from bugs so that callers can say what
/// is wrong (507 or 503, unhealthy, a one-line reason at start) instead of a bare 500.
/// </summary>
public sealed record StorageFault(StorageFaultKind Kind, string Reason)
{
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;

    /// <summary>The fault behind <paramref name="exception"/> (or one it wraps), or null when it is something else.</summary>
    public static StorageFault? From(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
            {
                // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) keep the primary code in the low byte.
                return (sqlite.SqliteErrorCode & 0xFF) switch
                {
                    SqliteFull => new(StorageFaultKind.Full, "the state store is full: the disk has no room left, or the store reached Storage:MaxSizeBytes"),
                    SqliteReadOnly => new(StorageFaultKind.ReadOnly, "the state store is read-only"),
                    SqliteIoError => new(StorageFaultKind.IoError, "the disk under the state store failed a read or write"),
                    SqliteCannotOpen => new(StorageFaultKind.CannotOpen, "the state store's file cannot be opened or created"),
                    _ => null,
                };
            }
        }

        return null;
    }
}
