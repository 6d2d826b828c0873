namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Many writes in one round trip; each operation succeeds or fails on its own.</summary>
public sealed record BulkRequest(IReadOnlyList<BulkOperation> Operations)
{
    public Refresh? Refresh { get; init; }
}

public enum BulkAction
{
    Index,
    Create,
    Delete,
}

/// <summary>One line (and for writes, its document line) of a bulk request.</summary>
public sealed record BulkOperation
{
    private BulkOperation(BulkAction action, string index, string? id, DocumentBody? document)
    {
        ArgumentException.ThrowIfNullOrEmpty(index);
        Action = action;
        Index = index;
        Id = id;
        Document = document;
    }

    public BulkAction Action { get; }

    public string Index { get; }

    public string? Id { get; }

    public DocumentBody? Document { get; }

    public long? IfSeqNo { get; init; }

    public long? IfPrimaryTerm { get; init; }

    public static BulkOperation IndexDocument(string index, DocumentBody document, string? id = null) =>
        new(BulkAction.Index, index, id, document ?? throw new ArgumentNullException(nameof(document)));

    public static BulkOperation CreateDocument(string index, string id, DocumentBody document)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new(BulkAction.Create, index, id, document ?? throw new ArgumentNullException(nameof(document)));
    }

    public static BulkOperation DeleteDocument(string index, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new(BulkAction.Delete, index, id, null);
    }
}
