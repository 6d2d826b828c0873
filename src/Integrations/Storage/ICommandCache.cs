using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// A connection that keeps its compiled statements between uses, so a statement the bot runs thousands of times is
/// parsed and planned once per connection rather than every time (SQLite compiles each new command's text again).
/// </summary>
internal interface ICommandCache
{
    /// <summary>A command for <paramref name="sql"/> on this connection, compiled before if it was used before; to be given back.</summary>
    DbCommand Rent(string sql);

    /// <summary>Takes back a command from <see cref="Rent"/> once its reader (if any) is closed, or disposes it.</summary>
    void Return(DbCommand command);
}
