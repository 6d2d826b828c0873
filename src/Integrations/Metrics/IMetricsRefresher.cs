namespace ChatOps.Integrations.Metrics;

/// <summary>
/// Reads figures that need I/O (a database query) just before a scrape. Observable instruments call
/// back synchronously, so an area that counts from storage refreshes a snapshot here and its callbacks
/// only read that snapshot.
/// </summary>
public interface IMetricsRefresher
{
    Task RefreshAsync(CancellationToken cancellationToken);
}
