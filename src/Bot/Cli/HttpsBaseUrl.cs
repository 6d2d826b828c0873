using System.Diagnostics.CodeAnalysis;

namespace ChatOps.Bot.Cli;

/// <summary>A public address the platforms send requests to, as the manifest verbs take it: https, a host, maybe a path.</summary>
internal static class HttpsBaseUrl
{
    /// <summary>True when <paramref name="text"/> is an absolute https URL without query or fragment.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? baseUrl) =>
        Uri.TryCreate(text, UriKind.Absolute, out baseUrl) && baseUrl.Scheme == Uri.UriSchemeHttps
            && string.IsNullOrEmpty(baseUrl.Query) && string.IsNullOrEmpty(baseUrl.Fragment);

    /// <summary>Why <paramref name="text"/> was refused, then <paramref name="why"/>: what the platform does with it.</summary>
    public static string Refusal(string text, string why) => $"--url '{text}' is not a public https base URL (https://host[/path], no query): {why}";
}
