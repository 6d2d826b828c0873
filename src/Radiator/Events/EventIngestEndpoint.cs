using ChatOps.Integrations.Elasticsearch;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>The answer to an ingest: how many events were kept, and each refused line with its reason.</summary>
internal sealed record IngestResult(int Accepted, IReadOnlyList<IngestError> Rejected);

/// <summary><c>POST /api/events</c>: a JSON array or NDJSON body; good lines are kept even when others are refused.</summary>
internal sealed class EventIngestEndpoint(IEventWriter writer, IOptions<RadiatorOptions> options, TimeProvider timeProvider, ILogger<EventIngestEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = options.Value.MaxIngestBytes;
        if (request.ContentLength > limit)
        {
            return Results.Problem($"The body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadAsync(request.Body, limit, cancellationToken);
        if (body is null)
        {
            return Results.Problem($"The body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var parsed = EventParser.Parse(body, timeProvider.GetUtcNow() + options.Value.MaxClockSkew);
        if (parsed.Events.Count == 0 && parsed.Errors.Count == 0)
        {
            return Results.Problem("The body holds no events.", statusCode: StatusCodes.Status400BadRequest);
        }

        IReadOnlyList<RefusedEvent> refused;
        try
        {
            refused = parsed.Events.Count > 0 ? await writer.WriteAsync(parsed.Events, cancellationToken) : [];
        }
        catch (ElasticsearchException ex)
        {
            // Nothing was stored: the sender should retry the whole body later.
            return Results.Problem($"The event store is not answering: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var accepted = parsed.Events.Count - refused.Count;
        var rejected = parsed.Errors.Concat(refused.Select(r => new IngestError(parsed.Lines[r.Index], r.Reason))).OrderBy(e => e.Line).ToList();

        if (rejected.Count > 0)
        {
            Log.IngestRejectedLines(logger, accepted, rejected.Count, rejected[0].Line, rejected[0].Reason);
        }

        if (rejected.Count == 0)
        {
            return Results.Ok(new IngestResult(accepted, rejected));
        }

        // Any refused line makes the answer a 400, so a sender cannot mistake a partial batch for a whole one;
        // the good lines are kept all the same, and the problem says how many and names every refused line.
        var shown = string.Join("; ", rejected.Take(5).Select(e => $"line {e.Line}: {e.Reason}"));
        var kept = accepted > 0 ? $"{accepted} {(accepted == 1 ? "event was" : "events were")} kept; {rejected.Count} refused." : "No event was kept.";
        return Results.Problem(
            detail: $"{kept} {shown}{(rejected.Count > 5 ? $"; and {rejected.Count - 5} more" : "")}.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Bad events",
            extensions: new Dictionary<string, object?> { ["accepted"] = accepted, ["rejected"] = rejected });
    }

    private static async Task<byte[]?> ReadAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
