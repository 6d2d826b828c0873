namespace ChatOps.Integrations.Infrastructure.Vagrant;

/// <summary>A machine as <c>vagrant status</c> reports it: its state id (running, poweroff, not_created…) and provider.</summary>
internal sealed record VagrantMachine(string Name, string State, string? StateHuman, string? Provider);

/// <summary>
/// Folds the records of one vagrant run into what the provider needs: the human lines for the run's
/// thread, each machine's state, and the error Vagrant exited with, if any.
/// </summary>
internal sealed class VagrantRun
{
    private readonly Dictionary<string, VagrantMachine> _machines = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The error class and message of an <c>error-exit</c> record.</summary>
    public (string Kind, string Message)? Error { get; private set; }

    public IReadOnlyList<VagrantMachine> Machines
    {
        get
        {
            lock (_gate)
            {
                return [.. _machines.Values];
            }
        }
    }

    /// <summary>Takes one record; returns the lines it contributes to the run's thread.</summary>
    public IReadOnlyList<string> Add(VagrantRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            switch (record.Type)
            {
                case "ui":
                    // data: level (info, output, detail, success, warn, error), then the message.
                    return Lines(record.DataAt(1));
                case "state":
                    Update(record.Target, m => m with { State = record.DataAt(0) });
                    return [];
                case "state-human-short":
                    Update(record.Target, m => m with { StateHuman = record.DataAt(0) });
                    return [];
                case "provider-name":
                    Update(record.Target, m => m with { Provider = record.DataAt(0) });
                    return [];
                case "metadata" when record.DataAt(0) == "provider":
                    Update(record.Target, m => m with { Provider = record.DataAt(1) });
                    return [];
                case "error-exit":
                    Error = (record.DataAt(0), record.DataAt(1).Trim());
                    return Lines(record.DataAt(1));
                default:
                    return [];
            }
        }
    }

    private void Update(string target, Func<VagrantMachine, VagrantMachine> change)
    {
        if (target.Length == 0)
        {
            return;
        }

        var current = _machines.TryGetValue(target, out var known) ? known : new VagrantMachine(target, "unknown", null, null);
        _machines[target] = change(current);
    }

    private static IReadOnlyList<string> Lines(string message) =>
        [.. message.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}
