using System.Globalization;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run was asked to do, typed, from the command that requested it to the workflow that carries it out.
/// The runs table keeps them as the name/value pairs it has always held (<see cref="ToStored"/>,
/// <see cref="RunKind.Restore"/>), so a database written by an earlier version reads back the same.
/// </summary>
internal abstract record RunArguments
{
    /// <summary>The pairs stored in the run's row and shown in the audit trail.</summary>
    public abstract IReadOnlyDictionary<string, string> ToStored();
}

/// <summary>Arguments that read back from the pairs they are stored as, whatever the verb of their run (see <see cref="RunKind.Of{TArguments}"/>).</summary>
internal interface IStoredRunArguments<TSelf>
    where TSelf : RunArguments
{
    static abstract TSelf FromStored(IReadOnlyDictionary<string, string> stored);
}

/// <summary>An operation of the environment's compute provider (bringing nodes up, deploying, halting, destroying).</summary>
internal sealed record NodeRunArguments(InfraVerb Operation, string? Version = null) : RunArguments
{
    internal const string VersionKey = "version";

    /// <summary>The operation is the run's kind's; only the version is stored.</summary>
    internal static NodeRunArguments FromStored(InfraVerb operation, IReadOnlyDictionary<string, string> stored) =>
        new(operation, stored.GetValueOrDefault(VersionKey));

    public override IReadOnlyDictionary<string, string> ToStored() =>
        Version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [VersionKey] = Version };
}

/// <summary>The load-balancer weight of each named node (0–256).</summary>
internal sealed record BalanceArguments(IReadOnlyDictionary<string, int> Weights) : RunArguments, IStoredRunArguments<BalanceArguments>
{
    private const string WeightsKey = "weights";

    /// <summary>Stored as <c>web1=80,web2=20</c>, the form rows have always had.</summary>
    public override IReadOnlyDictionary<string, string> ToStored() =>
        new Dictionary<string, string> { [WeightsKey] = Describe(",") };

    /// <summary><c>web1=80, web2=20</c>.</summary>
    public string Describe(string separator = ", ") =>
        string.Join(separator, Weights.Select(w => $"{w.Key}={w.Value.ToString(CultureInfo.InvariantCulture)}"));

    public static BalanceArguments FromStored(IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new((stored.GetValueOrDefault(WeightsKey) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>Show the sorry page (with its message) or stop showing it.</summary>
internal sealed record SorryArguments(bool Show, string? Message = null) : RunArguments, IStoredRunArguments<SorryArguments>
{
    private const string StateKey = "state";
    private const string MessageKey = "message";
    private const string On = "on";
    private const string Off = "off";

    public static SorryArguments FromStored(IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new(stored.GetValueOrDefault(StateKey) == On, stored.GetValueOrDefault(MessageKey));
    }

    public override IReadOnlyDictionary<string, string> ToStored()
    {
        var stored = new Dictionary<string, string> { [StateKey] = Show ? On : Off };
        if (Message is not null)
        {
            stored[MessageKey] = Message;
        }

        return stored;
    }
}
