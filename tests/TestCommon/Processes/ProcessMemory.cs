using System.Globalization;

namespace ChatOps.TestCommon.Processes;

/// <summary>What a process holds in memory, as Linux reports it.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in MiB (<c>VmRSS</c> in <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public static double ResidentMiB(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kib / 1024.0;
    }
}
