using System.Diagnostics.CodeAnalysis;
using ChatOps.Integrations.Chat;

namespace ChatOps.Radiator;

/// <summary>Destinations in configuration are written <c>platform:channel</c> (<c>webchat:pulse</c>, <c>slack:C0123</c>).</summary>
public static class Destinations
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out ChatDestination? destination)
    {
        destination = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        destination = new ChatDestination(text[..colon].Trim(), text[(colon + 1)..].Trim());
        return destination.Platform.Length > 0 && destination.Channel.Length > 0;
    }

    public static IReadOnlyList<ChatDestination> ParseAll(IEnumerable<string> texts) =>
        [.. texts.Select(t => TryParse(t, out var d) ? d : throw new FormatException($"'{t}' is not platform:channel."))];
}
