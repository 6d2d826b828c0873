using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary><c>POST /api/alerts</c> (our JSON or Alertmanager's), <c>GET /api/alerts</c>, <c>GET /api/alerts/{id}</c>.</summary>
internal static class AlertEndpoints
{
    public static RouteGroupBuilder MapAlerts(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/alerts", ReceiveAsync).DisableAntiforgery();
        api.MapGet("/alerts", async (bool? all, AlertService alerts, CancellationToken cancellationToken) =>
            Results.Json(await alerts.ListAsync(all ?? false, cancellationToken), AlertStore.Json));
        api.MapGet("/alerts/{id:long}", async (long id, AlertService alerts, CancellationToken cancellationToken) =>
            await alerts.GetAsync(id, cancellationToken) is { } alert
                ? Results.Json(alert, AlertStore.Json)
                : Results.Problem($"There is no alert #{id}.", statusCode: StatusCodes.Status404NotFound));
        return api;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, AlertService alerts, IOptions<AlertOptions> options, IOptions<RadiatorOptions> radiator,
        TimeProvider timeProvider, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(AlertEndpoints));
        IResult Reject(string reason, int status = StatusCodes.Status400BadRequest)
        {
            Log.WebhookRejected(logger, reason);
            return Results.Problem(reason, statusCode: status, title: "Bad alert");
        }

        if (request.ContentLength > options.Value.MaxWebhookBytes)
        {
            return Reject($"body: larger than {options.Value.MaxWebhookBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.Value.MaxWebhookBytes)
            {
                return Reject($"body: larger than {options.Value.MaxWebhookBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return Reject($"body: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var parsed = AlertWebhook.Parse(document.RootElement, timeProvider.GetUtcNow() + radiator.Value.MaxClockSkew);
            if (parsed.Error is not null)
            {
                return Reject(parsed.Error);
            }

            var rejected = parsed.Rejected.Select(r => new { index = r.Index, reason = r.Reason }).ToList();
            if (parsed.Signals.Count == 0)
            {
                Log.WebhookRejected(logger, parsed.Rejected[0].Reason);
                return RejectedProblem(received: 0, rejected, parsed.Rejected);
            }

            if (parsed.Rejected.Count > 0)
            {
                Log.WebhookRejected(logger, parsed.Rejected[0].Reason);
            }

            var signals = parsed.Signals;
            var results = (await alerts.ReceiveAsync(signals, cancellationToken))
                .Select(r => (object)new { id = r.Alert.Id, fingerprint = r.Alert.Fingerprint, status = r.Alert.StatusName, changed = r.Changed })
                .ToList();

            // Any refused alert makes the answer a 400 that names it, while the good ones are kept and listed.
            return rejected.Count == 0
                ? Results.Ok(new { received = signals.Count, alerts = results, rejected })
                : RejectedProblem(signals.Count, rejected, parsed.Rejected, results);
        }
    }

    private static IResult RejectedProblem(int received, IReadOnlyList<object> rejected, IReadOnlyList<AlertRejection> reasons, IReadOnlyList<object>? kept = null)
    {
        var shown = string.Join(" ", reasons.Take(5).Select(r => r.Reason));
        var prefix = received > 0 ? $"{received} {(received == 1 ? "alert was" : "alerts were")} kept; {reasons.Count} refused. " : "";
        return Results.Problem(
            detail: prefix + (reasons.Count > 5 ? $"{shown} And {reasons.Count - 5} more." : shown),
            statusCode: StatusCodes.Status400BadRequest,
            title: "Bad alert",
            extensions: new Dictionary<string, object?> { ["received"] = received, ["alerts"] = kept ?? [], ["rejected"] = rejected });
    }
}
