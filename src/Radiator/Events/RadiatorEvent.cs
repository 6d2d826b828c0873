namespace ChatOps.Radiator.Events;

/// <summary>
/// One timestamped fact: a login, a vote count, a latency sample, a deployment. <see cref="Value"/>
/// defaults to 1 so that plain occurrences can be counted and summed alike.
/// </summary>
internal sealed record RadiatorEvent(DateTimeOffset Timestamp, string Key, double Value = 1)
{
    /// <summary>Free-form labels (environment, region…), kept with the raw event.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public string? Message { get; init; }

    /// <summary>
    /// The producer's own identity for the event, if it has one. An event whose id is already stored is
    /// skipped, so a producer that sends a batch again after a failure never counts anything twice.
    /// </summary>
    public string? Id { get; init; }
}

/// <summary>A line of an ingest body that was refused, by its 1-based line number.</summary>
internal sealed record IngestError(int Line, string Reason);

/// <summary>What an ingest body held: the events that were valid (with the line each started on) and why the others were not.</summary>
internal sealed record ParsedEvents(IReadOnlyList<RadiatorEvent> Events, IReadOnlyList<IngestError> Errors)
{
    /// <summary>The 1-based line of each of <see cref="Events"/>, so a later refusal can name it.</summary>
    public IReadOnlyList<int> Lines { get; init; } = [];
}
