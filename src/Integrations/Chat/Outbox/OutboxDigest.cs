using System.Globalization;
using System.Text;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>One post merged into a digest: its noun ("alert") and content.</summary>
internal sealed record DigestItem(string Noun, OutgoingMessage Message);

/// <summary>
/// Words a digest: a count per noun, the first line of the oldest items, and "and N more" for the rest,
/// so every merged post is at least counted even when it is not listed.
/// </summary>
internal static class OutboxDigest
{
    public static OutgoingMessage Compose(IReadOnlyList<DigestItem> items, int listed, int lineLength)
    {
        var counts = items.GroupBy(i => i.Noun, StringComparer.OrdinalIgnoreCase)
            .Select(g => Count(g.Count(), g.Key))
            .ToList();
        var text = new StringBuilder();
        text.Append(counts.Count == 1
            ? $"*{counts[0]}*"
            : $"*{Count(items.Count, "message")}*: {string.Join(", ", counts)}");
        foreach (var item in items.Take(listed))
        {
            // Times as their fallback text: cutting the line must not cut a time element in half.
            text.Append("\n• ").Append(FirstLine(ChatTime.Plain(item.Message.Text), lineLength));
        }

        if (items.Count > listed)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n…and {items.Count - listed} more");
        }

        return new OutgoingMessage
        {
            Text = text.ToString(),
            Context = ["Merged into one message to stay within this channel's rate limit."],
        };
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 || noun.EndsWith('s') ? "" : "s")}");

    private static string FirstLine(string text, int lineLength)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end].TrimEnd();
        }

        return line.Length <= lineLength ? line.ToString() : string.Concat(line[..(lineLength - 1)].TrimEnd(), "…");
    }
}
