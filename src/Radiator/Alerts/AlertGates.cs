namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Serialises changes to alerts that share a group (or, ungrouped, a fingerprint), so an older state's edit is never
/// queued after a newer one and a group's lead always lists its members as they are; alerts of other groups change
/// at the same time and their writes share commits. A fixed set of gates, chosen by the key's hash: two groups may share
/// a gate, which only makes them wait for each other.
/// </summary>
internal sealed class AlertGates : IDisposable
{
    private const int Count = 32;

    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>The key whose changes are serialised: the group when the alert has one, else the alert itself.</summary>
    public static string KeyOf(string group, string fingerprint) => group.Length > 0 ? "group:" + group : "alert:" + fingerprint;

    public async Task<Held> EnterAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % Count)];
        await gate.WaitAsync(cancellationToken);
        return new Held([gate]);
    }

    /// <summary>Every gate, taken in one order so two callers of this never hold each other up halfway.</summary>
    public async Task<Held> EnterAllAsync(CancellationToken cancellationToken)
    {
        var taken = new List<SemaphoreSlim>(Count);
        try
        {
            foreach (var gate in _gates)
            {
                await gate.WaitAsync(cancellationToken);
                taken.Add(gate);
            }
        }
        catch
        {
            new Held(taken).Dispose();
            throw;
        }

        return new Held(taken);
    }

    public void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }
    }

    /// <summary>The gates one caller holds, released on dispose.</summary>
    public readonly struct Held(IReadOnlyList<SemaphoreSlim> gates) : IDisposable
    {
        public void Dispose()
        {
            foreach (var gate in gates)
            {
                gate.Release();
            }
        }
    }
}
