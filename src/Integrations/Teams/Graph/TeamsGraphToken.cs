using ChatOps.Integrations.Teams.Connector;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// The app's token for Microsoft Graph: client credentials at the same token endpoint as the Connector's, scope
/// <see cref="TeamsAppToken.GraphScope"/>, kept and renewed the same way. Graph then grants what the app's
/// resource-specific consents in each team or chat allow.
/// </summary>
internal sealed class TeamsGraphToken(TeamsAppToken token) : IDisposable
{
    public Task<string> GetAsync(CancellationToken cancellationToken) => token.GetAsync(cancellationToken);

    public void Invalidate(string used) => token.Invalidate(used);

    public void Dispose() => token.Dispose();
}
