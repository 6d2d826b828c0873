using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>The results as a Markdown table, with what the machine was doing at the time.</summary>
public static class Report
{
    public static string Table(IEnumerable<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var text = new StringBuilder();
        text.AppendLine("| Target | Round trip | Clients | n | Failed | p50 (ms) | p99 (ms) | req/s |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measurements)
        {
            var rate = m.RequestsPerSecond is { } r ? r.ToString("0", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Target} | {m.Scenario} | {m.Clients} | {m.Count} | {m.Failures} | {Ms(m.P50)} | {Ms(m.P99)} | {rate} |");
        }

        return text.ToString();
    }

    public static string Machine() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} logical CPUs, {MemoryGiB():0.0} GiB RAM, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine they say how much the figures can be trusted.</summary>
    public static string LoadAverage()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{fields[0]} {fields[1]} {fields[2]}";
    }

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString(span.TotalMilliseconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static double MemoryGiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kib / 1024.0 / 1024.0;
    }
}
