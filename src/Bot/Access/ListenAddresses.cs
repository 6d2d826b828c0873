using System.Net;

namespace ChatOps.Bot.Access;

/// <summary>
/// Where the host will listen, read from configuration the way Kestrel reads it, and whether that reaches
/// beyond this machine. Checked before anything listens, so a bot exposed without a token never starts.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>
    /// Kestrel's precedence: <c>Kestrel:Endpoints</c> when any are configured (they override the rest), else
    /// <c>Urls</c> (also <c>--urls</c>, <c>ASPNETCORE_URLS</c>), else <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c> (every
    /// interface), else Kestrel's own default on localhost.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => !string.IsNullOrWhiteSpace(u)).ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        if (Split(configuration["urls"]) is { Count: > 0 } urls)
        {
            return urls;
        }

        List<string> ports = [.. Split(configuration["http_ports"]).Select(p => $"http://*:{p}"), .. Split(configuration["https_ports"]).Select(p => $"https://*:{p}")];
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    /// <summary>
    /// True unless the address is a loopback address, <c>localhost</c>, or a Unix socket or named pipe (which
    /// only this machine's users can open). Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>), other
    /// addresses and host names (Kestrel binds those on every interface) all reach beyond it.
    /// </summary>
    public static bool IsBeyondLoopback(string url) =>
        HostOf(url) is { } host && !IsLoopbackName(host);

    /// <summary>Host names from the listen addresses (not addresses, wildcards or localhost): the bot answers to them.</summary>
    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. Configured(configuration).Select(HostOf).OfType<string>()
            .Where(h => h is not ("*" or "+" or "") && !IPAddress.TryParse(h, out _) && !IsLoopbackName(h))];

    /// <summary><c>localhost</c> or a loopback address (<c>127.0.0.1</c>, <c>::1</c>, with or without brackets).</summary>
    public static bool IsLoopbackName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = NormalizeName(host);
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IsLoopback(address));
    }

    public static bool IsLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    /// <summary>Lower case, without IPv6 brackets or a trailing dot: how two spellings of one host are compared.</summary>
    public static string NormalizeName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>The host part of a listen address, normalised; null for a Unix socket or named pipe.</summary>
    private static string? HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            return NormalizeName(close < 0 ? authority : authority[..(close + 1)]);
        }

        var colon = authority.LastIndexOf(':');
        return NormalizeName(colon < 0 ? authority : authority[..colon]);
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
