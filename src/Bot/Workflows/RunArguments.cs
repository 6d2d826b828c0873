using System.Globalization;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run was asked to do, typed, from the command that requested it to the workflow that carries it out.
/// The runs table keeps them as the name/value pairs it has always held (<see cref="ToStored"/>,
/// <see cref="Restore"/>), so a database written by an earlier version reads back the same.
/// </summary>
public abstract record RunArguments
{
    public abstract RunKind Kind { get; }

    /// <summary>The pairs stored in the run's row and shown in the audit trail.</summary>
    public abstract IReadOnlyDictionary<string, string> ToStored();

    /// <summary>The typed arguments of a stored run, or null when <paramref name="verb"/> names no kind of run.</summary>
    public static RunArguments? Restore(string verb, IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return RunKind.Find(verb) switch
        {
            null => null,
            { Operation: { } operation } => new NodeRunArguments(operation, stored.GetValueOrDefault(NodeRunArguments.VersionKey)),
            var kind when kind == RunKind.Balance => BalanceArguments.FromStored(stored),
            _ => new SorryArguments(stored.GetValueOrDefault(SorryArguments.StateKey) == SorryArguments.On, stored.GetValueOrDefault(SorryArguments.MessageKey)),
        };
    }
}

/// <summary>up, provision, halt, destroy: an operation of the environment's compute provider.</summary>
public sealed record NodeRunArguments(InfraVerb Operation, string? Version = null) : RunArguments
{
    internal const string VersionKey = "version";

    public override RunKind Kind => RunKind.All.First(k => k.Operation == Operation);

    public override IReadOnlyDictionary<string, string> ToStored() =>
        Version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [VersionKey] = Version };
}

/// <summary>balance: the load-balancer weight of each named node (0–256).</summary>
public sealed record BalanceArguments(IReadOnlyDictionary<string, int> Weights) : RunArguments
{
    private const string WeightsKey = "weights";

    public override RunKind Kind => RunKind.Balance;

    /// <summary>Stored as <c>web1=80,web2=20</c>, the form rows have always had.</summary>
    public override IReadOnlyDictionary<string, string> ToStored() =>
        new Dictionary<string, string> { [WeightsKey] = Describe(",") };

    /// <summary><c>web1=80, web2=20</c>.</summary>
    public string Describe(string separator = ", ") =>
        string.Join(separator, Weights.Select(w => $"{w.Key}={w.Value.ToString(CultureInfo.InvariantCulture)}"));

    internal static BalanceArguments FromStored(IReadOnlyDictionary<string, string> stored) =>
        new((stored.GetValueOrDefault(WeightsKey) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase));
}

/// <summary>sorry: show the sorry page (with its message) or stop showing it.</summary>
public sealed record SorryArguments(bool Show, string? Message = null) : RunArguments
{
    internal const string StateKey = "state";
    internal const string MessageKey = "message";
    internal const string On = "on";
    private const string Off = "off";

    public override RunKind Kind => RunKind.Sorry;

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
