using System.Net;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Access;

/// <summary>
/// Refuses a request whose <c>Host</c> is not a name this bot answers to (421). A page on a name someone else
/// controls can point that name at 127.0.0.1 (DNS rebinding) and would then be "same origin" with the bot;
/// its requests still carry the attacker's name as Host, and that is what this stops.
/// Answered to: <c>WebChat:AllowedHosts</c>; <c>localhost</c> and loopback addresses on a loopback connection;
/// the address the request actually arrived at; host names in the listen addresses. The port, when the
/// request came over a socket, must be the one it arrived on.
/// </summary>
internal sealed class HostCheck(RequestDelegate next, IOptions<WebChatOptions> options, IConfiguration configuration, ILogger<HostCheck> logger)
{
    private readonly IReadOnlyList<string> _listenNames = ListenAddresses.Names(configuration);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpAccess.ChecksHost(context) || IsAnsweredTo(context))
        {
            await next(context);
            return;
        }

        var host = context.Request.Host.Value ?? "";
        Log.HostRefused(logger, host, context.Request.Path);
        await HttpAccess.RefuseAsync(context, StatusCodes.Status421MisdirectedRequest,
            $"This bot does not answer to the host `{host}`. If that is its public name, add it to WebChat:AllowedHosts.");
    }

    private bool IsAnsweredTo(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue)
        {
            return false;
        }

        var name = ListenAddresses.NormalizeName(host.Host);
        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        if (options.Value.AllowedHosts.Any(allowed => AllowedHost.Matches(allowed, name, port)))
        {
            return true;
        }

        var connection = context.Connection;
        // The in-process test server has no socket, hence no port to compare.
        if (connection.LocalPort != 0 && port != connection.LocalPort)
        {
            return false;
        }

        var local = connection.LocalIpAddress;
        if (ListenAddresses.IsLoopbackName(name))
        {
            return local is null || ListenAddresses.IsLoopback(local);
        }

        return (local is not null && IPAddress.TryParse(name, out var address) && Unmapped(address).Equals(Unmapped(local)))
            || _listenNames.Contains(name, StringComparer.Ordinal);
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
