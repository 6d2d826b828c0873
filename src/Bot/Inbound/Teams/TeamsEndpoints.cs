namespace ChatOps.Bot.Inbound.Teams;

/// <summary>The Bot Framework messaging endpoint <c>/api/messages</c>, mapped only when <c>Teams:AppId</c> is set.</summary>
internal static class TeamsEndpoints
{
    public const string MessagesPath = "/api/messages";

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}
