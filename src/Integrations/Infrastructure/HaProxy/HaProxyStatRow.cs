namespace ChatOps.Integrations.Infrastructure.HaProxy;

internal enum HaProxyStatType
{
    Frontend = 0,
    Backend = 1,
    Server = 2,
    Listener = 3,
}

/// <summary>
/// One row of <c>show stat</c>. <see cref="Status"/> is HAProxy's word (UP, DOWN, MAINT, DRAIN,
/// "no check"…); <see cref="LbTotal"/> counts how often the server was chosen.
/// </summary>
internal sealed record HaProxyStatRow(
    string ProxyName,
    string ServiceName,
    HaProxyStatType Type,
    string Status,
    int? Weight,
    string? Address,
    long? LbTotal,
    long? SessionsTotal);

/// <summary>Parses the CSV that <c>show stat</c> returns (header line starting with <c># </c>).</summary>
internal static class HaProxyStatParser
{
    public static IReadOnlyList<HaProxyStatRow> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            ?? throw new LoadBalancerException($"HAProxy did not answer 'show stat' with statistics: {FirstLine(csv)}");
        var columns = header[2..].Split(',');
        var index = columns.Select((name, i) => (name, i)).Where(c => c.name.Length > 0)
            .GroupBy(c => c.name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);

        var rows = new List<HaProxyStatRow>();
        foreach (var line in lines.Where(l => !l.StartsWith('#')))
        {
            var fields = line.Split(',');
            string? Field(string name) => index.TryGetValue(name, out var i) && i < fields.Length && fields[i].Length > 0 ? fields[i] : null;
            long? Number(string name) => long.TryParse(Field(name), out var n) ? n : null;

            rows.Add(new HaProxyStatRow(
                Field("pxname") ?? "",
                Field("svname") ?? "",
                (HaProxyStatType)(Number("type") ?? -1),
                Field("status") ?? "",
                // uweight is the weight as set; weight is the effective one, not recomputed while in maintenance.
                (Number("uweight") ?? Number("weight")) is { } weight ? (int)weight : null,
                Field("addr"),
                Number("lbtot"),
                Number("stot")));
        }

        return rows;
    }

    internal static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(empty reply)" : line;
    }
}
