namespace ChatOps.Bot.Access;

/// <summary>Which requests the access rules cover, and how a refusal is written.</summary>
internal static class HttpAccess
{
    /// <summary>
    /// <c>/api/*</c> and <c>/metrics</c>, by the endpoint routing chose (so no spelling of the path slips past)
    /// and by the path (so an API path that matched nothing is treated the same).
    /// </summary>
    public static bool IsProtected(HttpContext context)
    {
        var path = context.Request.Path;
        if (IsBotFrameworkEndpoint(path))
        {
            return false;
        }

        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics"))
        {
            return true;
        }

        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var route = new PathString(pattern.StartsWith('/') ? pattern : "/" + pattern);
        return !IsBotFrameworkEndpoint(route) && route.StartsWithSegments("/api") || route.StartsWithSegments("/metrics");
    }

    /// <summary>
    /// Slack's, Discord's and the Bot Framework's endpoints check their own signature or token and are reached through
    /// whatever public name the platform was given; <c>/healthz</c> is for probes that know no name. Everything else
    /// must be asked for by a name this bot answers to.
    /// </summary>
    public static bool ChecksHost(HttpContext context)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments("/slack") && !path.StartsWithSegments("/discord") && !IsBotFrameworkEndpoint(path) && !path.StartsWithSegments("/healthz");
    }

    /// <summary>
    /// Teams' messaging endpoint: under <c>/api</c> because the Bot Framework's registration expects that path, but it
    /// verifies the Bot Framework's own bearer token, so neither the web chat's token nor the browser checks apply.
    /// </summary>
    private static bool IsBotFrameworkEndpoint(PathString path) => path.Equals("/api/messages", StringComparison.OrdinalIgnoreCase);

    public static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    public static Task RefuseAsync(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);
}
