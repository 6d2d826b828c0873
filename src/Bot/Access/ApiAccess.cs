using System.Security.Cryptography;
using System.Text;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Access;

/// <summary>
/// Who may use <c>/api/*</c> and <c>/metrics</c>. A request straight from loopback (the client's address, with no
/// forwarding header) is trusted: the web chat then believes the name people type. Anything else presents a
/// token as <c>Authorization: Bearer …</c>: <c>WebChat:AccessToken</c> for everything, or <c>WebChat:ReadToken</c>
/// for GET and HEAD. Reads may pass it as <c>?token=</c> because the page's event stream and images cannot set
/// headers; writes may not, so a token never has to sit in a URL that changes something.
/// A reverse proxy on the same machine connects from loopback too, but it adds a forwarding header, and then
/// the client is somewhere else.
/// </summary>
internal sealed class ApiAccess(RequestDelegate next, IOptions<WebChatOptions> options, ILogger<ApiAccess> logger)
{
    /// <summary>Headers a proxy adds; any one of them means the connection's address is not the client's.</summary>
    public static readonly IReadOnlyList<string> ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Real-IP", "X-Client-IP", "X-Original-Forwarded-For", "True-Client-IP", "CF-Connecting-IP", "Via",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpAccess.IsProtected(context) || IsStraightFromLoopback(context))
        {
            await next(context);
            return;
        }

        var reading = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var full = options.Value.AccessToken;
        var read = options.Value.ReadToken;
        if (string.IsNullOrEmpty(full) && (!reading || string.IsNullOrEmpty(read)))
        {
            Log.NoTokenConfigured(logger, context.Request.Path);
            await HttpAccess.RefuseAsync(context, StatusCodes.Status403Forbidden,
                "This request did not come straight from loopback (another address, or through a proxy), so it needs a token, and WebChat:AccessToken is not set.");
            return;
        }

        var presented = Presented(context.Request, reading);
        if (Same(presented, full) || (reading && Same(presented, read)))
        {
            await next(context);
            return;
        }

        if (!reading && Same(presented, read))
        {
            Log.TokenRefused(logger, context.Request.Path, "read token used to change something");
            await HttpAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, "The read token only reads; changing something needs WebChat:AccessToken.");
            return;
        }

        Log.TokenRefused(logger, context.Request.Path, presented is null ? "no token" : "wrong token");
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await HttpAccess.RefuseAsync(context, StatusCodes.Status401Unauthorized,
            reading ? "A valid token is required (Authorization: Bearer …, or ?token= for reads)." : "A valid token is required (Authorization: Bearer …).");
    }

    /// <summary>
    /// Decided by the client's address, never the one the bot listens on. No address at all is the in-process
    /// test server (or a Unix socket, which only this machine's users can open).
    /// </summary>
    public static bool IsStraightFromLoopback(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ForwardingHeaders.Any(context.Request.Headers.ContainsKey))
        {
            return false;
        }

        var remote = context.Connection.RemoteIpAddress;
        return remote is null ? context.Connection.LocalIpAddress is null : ListenAddresses.IsLoopback(remote);
    }

    private static string? Presented(HttpRequest request, bool reading)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return reading && request.Query["token"].ToString() is { Length: > 0 } query ? query : null;
    }

    /// <summary>Compares hashes, so neither the content nor the length of a token leaks through timing.</summary>
    private static bool Same(string? presented, string? expected) =>
        !string.IsNullOrEmpty(presented) && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
