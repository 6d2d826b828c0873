namespace ChatOps.Integrations.Coordination;

/// <summary>This replica's name is already a live replica's: two processes would be taken for one.</summary>
public sealed class ReplicaNameInUseException(ReplicaRow holder, TimeSpan deadAfter) : InvalidOperationException(
    $"{ReplicaOptions.SectionName}:Name '{holder.Name}' is in use by a live replica (process {holder.ProcessId} on {holder.Host}, last heartbeat at {holder.BeatAt:O}). " +
    $"Give each replica a name of its own, or leave {ReplicaOptions.SectionName}:Name out for a unique default; a replica that stopped without saying so " +
    $"frees its name {deadAfter.TotalSeconds:0.#} s after its last heartbeat.")
{
    public ReplicaRow Holder { get; } = holder;
}
