using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ChatOps.Bot.Audit;

/// <summary>
/// <c>audit verify [--head count:hash]…</c>: the heads an auditor copied from the audit channel, and the
/// report that names everything that was checked.
/// </summary>
internal static class AuditVerifyArguments
{
    /// <summary>What a <c>--head</c> must be, as a refusal says it.</summary>
    public const string HeadNeeds = "count:hash as the audit channel shows it (a count from 1 and a 64-digit hex hash)";

    /// <summary>Reads the heads given with <c>--head</c>; false with a <paramref name="problem"/> naming the first that is not <c>count:hash</c>.</summary>
    public static bool TryParseHeads(IReadOnlyList<string> values, out List<PublishedHead> heads, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(values);
        heads = [];
        problem = null;
        foreach (var value in values)
        {
            if (!AuditHead.TryParse(value, out var head))
            {
                problem = $"--head needs {HeadNeeds}; got '{value}'.";
                return false;
            }

            heads.Add(new PublishedHead(head, "given with --head"));
        }

        return true;
    }

    public static string Describe(AuditVerification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.AppendLine(result.Records == 0
            ? "Checked 0 audit records."
            : $"Checked {result.Records} audit records ({result.FirstSeq} to {result.LastSeq}).");
        text.AppendLine($"Key: {result.KeySource}.");
        text.AppendLine(result.HeadsCompared == 0
            ? "Published heads: none compared, so records removed from the end cannot be told; give one with --head count:hash from the audit channel."
            : $"Published heads: compared with {result.HeadsCompared}, the newest {result.ComparedWith}.");
        if (result.Head is { } head)
        {
            text.AppendLine($"Head now: {head}");
        }

        text.AppendLine(result.Valid ? "Result: valid." : $"Result: BROKEN at record {result.BrokenAt}: {result.Reason}.");
        return text.ToString();
    }
}
