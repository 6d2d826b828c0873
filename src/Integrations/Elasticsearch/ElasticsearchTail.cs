using System.Runtime.CompilerServices;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// What to tail: documents of <see cref="Indices"/> in (<see cref="TimestampField"/>, <see cref="TiebreakerField"/>)
/// order after <see cref="After"/>. The tiebreaker must be unique per document (an event or alert id), so a
/// cursor persisted from one point in time is exact in the next. Prefer an ingest-time field
/// (<c>event.ingested</c>) for the timestamp: documents that arrive late then still sort after the cursor.
/// </summary>
public sealed record TailRequest(IReadOnlyList<string> Indices, string TimestampField, string TiebreakerField)
{
    public Query? Filter { get; init; }

    /// <summary>Where the last run stopped (<see cref="TailPage.Cursor"/>); null starts at the beginning.</summary>
    public SortCursor? After { get; init; }

    /// <value>Default: 500.</value>
    public int PageSize { get; init; } = 500;

    /// <summary>How long the point in time lives between pages. <value>Default: 1 minute.</value></summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>A page of hits and the cursor after its last hit: persist the cursor once the page is handled.</summary>
public sealed record TailPage(IReadOnlyList<SearchHit> Hits, SortCursor Cursor);

public static class ElasticsearchTailExtensions
{
    /// <summary>
    /// Reads every document after the cursor, page by page, inside one point in time so pages neither
    /// skip nor repeat documents while the index changes; the point in time is closed at the end.
    /// </summary>
    public static async IAsyncEnumerable<TailPage> TailAsync(this IElasticsearchClient client, TailRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.PageSize, 1);
        var pit = await client.OpenPointInTimeAsync(new OpenPointInTimeRequest(request.Indices, request.KeepAlive) { IgnoreUnavailable = true }, cancellationToken);
        var pitId = pit.Id;
        try
        {
            var after = request.After;
            while (true)
            {
                var response = await client.SearchAsync(new SearchRequest
                {
                    PointInTime = new PointInTimeReference(pitId, request.KeepAlive),
                    Query = request.Filter,
                    Size = request.PageSize,
                    Sort = [new SortField(request.TimestampField), new SortField(request.TiebreakerField)],
                    SearchAfter = after,
                    TrackTotalHits = false,
                }, cancellationToken);

                // Elasticsearch may hand back a new id for the same point in time; later calls must use it.
                pitId = response.PitId ?? pitId;
                var hits = response.Documents;
                if (hits.Count == 0)
                {
                    yield break;
                }

                after = (hits[^1].Sort ?? throw new ElasticsearchException("search", string.Join(',', request.Indices), null, "malformed_response", "a sorted hit has no sort values")).Take(2);
                yield return new TailPage(hits, after);
                if (hits.Count < request.PageSize)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await CloseQuietlyAsync(client, pitId);
        }
    }

    private static async Task CloseQuietlyAsync(IElasticsearchClient client, string pitId)
    {
        try
        {
            // Not the caller's token: a cancelled tail should still free the point in time.
            await client.ClosePointInTimeAsync(pitId, CancellationToken.None);
        }
        catch (ElasticsearchException)
        {
            // Already logged by the transport; the point in time expires by itself after KeepAlive,
            // and throwing here would hide whatever ended the tail.
        }
    }
}
