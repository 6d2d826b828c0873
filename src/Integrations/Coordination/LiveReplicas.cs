namespace ChatOps.Integrations.Coordination;

/// <summary>
/// How many replicas share the state store, as this replica last read the <c>replicas</c> table (at registration and at
/// each heartbeat). The count is taken at the instant asked: a replica whose last heartbeat is older than
/// <see cref="ReplicaIdentity.DeadAfter"/> stops counting then, without waiting for the next read, so whatever was
/// divided among the replicas (the outbox's send budgets) comes back to the others within <c>DeadAfter</c> of the dead
/// one's last heartbeat. Never below 1: this replica counts itself. Before the first read it is alone.
/// </summary>
public sealed class LiveReplicas(ReplicaIdentity self)
{
    private Snapshot _snapshot = new([], 0);

    /// <summary>
    /// True when no other replica was on record at the last read, alive or dead (a replica that stopped cleanly removed
    /// its row; one killed keeps it until it is forgotten a day later). A process that has always been alone skips
    /// what only matters among several.
    /// </summary>
    public bool Alone => Volatile.Read(ref _snapshot).OnRecord == 0;

    /// <summary>Replaces what this replica knows of the others with <paramref name="rows"/> (every replica on record).</summary>
    public void Refresh(IEnumerable<ReplicaRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var others = rows.Where(r => !string.Equals(r.Name, self.Name, StringComparison.Ordinal)).ToList();
        Volatile.Write(ref _snapshot, new Snapshot([.. others.Select(r => r.BeatAt.ToUnixTimeMilliseconds())], others.Count));
    }

    /// <summary>The live replicas at <paramref name="now"/>, this one included: at least 1.</summary>
    public int CountAt(DateTimeOffset now)
    {
        var deadBefore = self.DeadBefore(now);
        var live = 1;
        foreach (var beatAt in Volatile.Read(ref _snapshot).BeatsAt)
        {
            if (beatAt > deadBefore)
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>The other replicas' last heartbeats (Unix ms) as last read, and how many are on record.</summary>
    private sealed record Snapshot(long[] BeatsAt, int OnRecord);
}
