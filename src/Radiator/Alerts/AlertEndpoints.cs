using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary><c>POST /api/alerts</c> (our JSON or Alertmanager's), <c>GET /api/alerts</c>, <c>GET /api/alerts/{id}</c>.</summary>
public static class AlertEndpoints
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

    private static async Task<IResult> ReceiveAsync(HttpRequest request, AlertService alerts, IOptions<AlertOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
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
            var (signals, error) = AlertWebhook.Parse(document.RootElement);
            if (error is not null)
            {
                return Reject(error);
            }

            var results = new List<object>();
            foreach (var signal in signals)
            {
                var (alert, changed) = await alerts.ReceiveAsync(signal, cancellationToken);
                results.Add(new { id = alert.Id, fingerprint = alert.Fingerprint, status = alert.StatusName, changed });
            }

            return Results.Ok(new { received = signals.Count, alerts = results });
        }
    }
}
