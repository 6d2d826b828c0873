namespace ChatOps.Integrations.Teams.Graph;

/// <summary>The Microsoft Graph reads the Teams lookup uses: a page of a conversation's messages, and the pages after it.</summary>
internal interface ITeamsGraphMessages
{
    /// <summary>The first page of <paramref name="address"/>'s listing, newest first where Graph allows choosing.</summary>
    Task<TeamsGraphPage> ListAsync(TeamsGraphAddress address, string conversation, CancellationToken cancellationToken);

    /// <summary>The page at <paramref name="nextLink"/> (a page's <c>@odata.nextLink</c>), or null when that link is not Graph's.</summary>
    Task<TeamsGraphPage?> NextAsync(Uri nextLink, string conversation, CancellationToken cancellationToken);
}
