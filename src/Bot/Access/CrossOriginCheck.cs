using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Access;

/// <summary>
/// Refuses (403) a request that would change something through <c>/api/*</c> when a browser says it comes from
/// another page: an <c>Origin</c> that is not the bot's own, or <c>Sec-Fetch-Site</c> other than
/// <c>same-origin</c>. A browser sends its cookies and reaches loopback for any page it shows, so without this a
/// page elsewhere could post commands as anyone. Requests with neither header (curl, scripts, Alertmanager)
/// are not browsers' and go on to the token rule.
/// </summary>
internal sealed class CrossOriginCheck(RequestDelegate next, IOptions<WebChatOptions> options, ILogger<CrossOriginCheck> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (HttpAccess.IsSafeMethod(request.Method) || !HttpAccess.IsProtected(context))
        {
            await next(context);
            return;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            Log.CrossOriginRefused(logger, request.Path, $"Sec-Fetch-Site: {site}");
            await HttpAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, $"A page on another site cannot change anything here (Sec-Fetch-Site: {site}).");
            return;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request))
        {
            Log.CrossOriginRefused(logger, request.Path, $"Origin: {origin}");
            await HttpAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, $"A page on `{origin}` cannot change anything here; only the bot's own page can.");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// The page's own origin names the host it was loaded from, which is this request's Host (already checked),
    /// or one of <c>WebChat:AllowedHosts</c> when a proxy rewrites Host. The scheme may differ behind a proxy that
    /// ends TLS. <c>null</c> (sandboxed frames, files) is never ours.
    /// </summary>
    private bool IsOwnOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
        {
            return false;
        }

        var name = ListenAddresses.NormalizeName(uri.Host);
        var host = request.Host;
        return (host.HasValue && ListenAddresses.NormalizeName(host.Host) == name && (host.Port ?? DefaultPort(uri.Scheme)) == uri.Port)
            || options.Value.AllowedHosts.Any(allowed => AllowedHost.Matches(allowed, name, uri.Port));
    }

    private static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;
}
