namespace ChatOps.Integrations.Storage;

/// <summary>
/// A feature's tables. Each feature registers one; statements must be idempotent
/// (<c>CREATE TABLE IF NOT EXISTS</c>) because they run at every start.
/// </summary>
public interface IStateSchema
{
    IEnumerable<string> Statements { get; }
}
