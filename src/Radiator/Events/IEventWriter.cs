namespace ChatOps.Radiator.Events;

/// <summary>An event that a writer refused, by its position in the batch.</summary>
internal sealed record RefusedEvent(int Index, string Reason);

/// <summary>
/// Where ingested events go: the embedded store, or Elasticsearch when it is the source, so that what
/// <c>POST /api/events</c> and the simulator write is what the pulse reads.
/// </summary>
internal interface IEventWriter
{
    /// <summary>Writes a batch; returns the events refused (the others are stored).</summary>
    Task<IReadOnlyList<RefusedEvent>> WriteAsync(IReadOnlyList<RadiatorEvent> events, CancellationToken cancellationToken);
}
