using ChatOps.Integrations.Teams.Connector;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// The app's token for Microsoft Graph: client credentials at the same token endpoint as the Connector's, scope
/// <see cref="TeamsAppToken.GraphScope"/>, kept and renewed the same way. Graph then grants what the app's
/// resource-specific consents in each team or chat allow.
/// </summary>
internal sealed class TeamsGraphToken(TeamsAppToken token) : IDisposable
{
    /// <summary>The token itself, scoped to Graph; a type of its own keeps it apart from the Connector's in the container.</summary>
    public TeamsAppToken AppToken => token;

    public void Dispose() => token.Dispose();
}
