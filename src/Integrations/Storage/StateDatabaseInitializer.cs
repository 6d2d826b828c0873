using Microsoft.Extensions.Hosting;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Creates the state store and applies every feature's migrations before any other hosted service starts
/// (hosted services start in registration order, and the store registers first).
/// </summary>
internal sealed class StateDatabaseInitializer(StateDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
