using System.Net;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>The page HAProxy serves with a 503 when no server is usable.</summary>
internal static class HaProxySorryPage
{
    public const int MaxMessageLength = 500;

    /// <summary>The map key the generated config looks the page up by.</summary>
    public const string MapKey = "page";

    /// <summary>
    /// The whole page on one line: it travels as one map entry, where a line break would end it.
    /// The message is HTML-encoded, so it shows as typed and cannot inject markup.
    /// </summary>
    public static string Render(string message)
    {
        var flat = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (flat.Length > MaxMessageLength)
        {
            flat = flat[..MaxMessageLength];
        }

        var text = WebUtility.HtmlEncode(flat);
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Service unavailable</title></head>"
            + $"<body style=\"font-family:sans-serif;text-align:center;margin-top:20vh\"><h1>{text}</h1></body></html>";
    }
}
