namespace ChatOps.Bot.Audit;

/// <summary>What verifying the trail checked and found: valid, or the first broken record and why.</summary>
internal sealed record AuditVerification
{
    public required bool Valid { get; init; }

    /// <summary>Records that verified, from the first on.</summary>
    public required long Records { get; init; }

    public long? FirstSeq { get; init; }

    public long? LastSeq { get; init; }

    /// <summary>The newest verified record as <c>count:hash</c>: what an auditor notes down to compare with later.</summary>
    public AuditHead? Head { get; init; }

    /// <summary>Where the key came from (configuration, or the key file's path); never the key.</summary>
    public required string KeySource { get; init; }

    /// <summary>How many published heads the trail was compared with; 0 means removals from the end could not be checked.</summary>
    public int HeadsCompared { get; init; }

    /// <summary>The newest of them, with where it was published.</summary>
    public string? ComparedWith { get; init; }

    public long? BrokenAt { get; init; }

    public string? Reason { get; init; }
}
