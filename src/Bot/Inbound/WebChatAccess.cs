using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The web chat trusts the name people type only on loopback. Reached over any other address it
/// requires <c>WebChat:AccessToken</c>, as a bearer token or <c>?token=</c> (for the event stream).
/// </summary>
public sealed class WebChatAccess(IOptions<WebChatOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var local = http.Connection.LocalIpAddress;
        // The in-process test server has no socket, so no address: it is as local as it gets.
        if (local is null || IPAddress.IsLoopback(local))
        {
            return await next(context);
        }

        var expected = options.Value.AccessToken;
        if (string.IsNullOrEmpty(expected))
        {
            return Results.Problem("The web chat is reachable beyond loopback, so it needs WebChat:AccessToken to be set.", statusCode: StatusCodes.Status403Forbidden);
        }

        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..] : http.Request.Query["token"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected))
            ? await next(context)
            : Results.Problem("A valid web chat access token is required (Authorization: Bearer …).", statusCode: StatusCodes.Status401Unauthorized);
    }
}
