using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

/// <summary>
/// Slack's three request URLs. Each request is verified before anything is read from it (401
/// otherwise), then written into the durable <see cref="IChatInbox"/> and acknowledged without waiting
/// for the command (at most <see cref="SlackDisplayNames.Budget"/> is spent naming the sender of a
/// mention): Slack wants an answer within 3 seconds, and replies go out later through the Web API.
/// Retries carry the same delivery id, which the inbox already holds, so none runs twice.
/// </summary>
internal static class SlackEndpoints
{
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var slack = app.MapGroup("/slack").ExcludeFromDescription();
        slack.MapPost("/commands", (HttpContext context, SlackHttpInbound inbound, IChatInbox inbox, SlackDisplayNames names, ILoggerFactory loggers) =>
            HandleAsync(context, SlackEndpoint.Commands, inbound, inbox, names, loggers));
        slack.MapPost("/interactions", (HttpContext context, SlackHttpInbound inbound, IChatInbox inbox, SlackDisplayNames names, ILoggerFactory loggers) =>
            HandleAsync(context, SlackEndpoint.Interactions, inbound, inbox, names, loggers));
        slack.MapPost("/events", (HttpContext context, SlackHttpInbound inbound, IChatInbox inbox, SlackDisplayNames names, ILoggerFactory loggers) =>
            HandleAsync(context, SlackEndpoint.Events, inbound, inbox, names, loggers));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, SlackEndpoint endpoint, SlackHttpInbound inbound, IChatInbox inbox, SlackDisplayNames names, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackEndpoints).FullName!);
        var read = await inbound.ReadAsync(context.Request, endpoint, context.RequestAborted);
        if (read.StatusCode == StatusCodes.Status400BadRequest)
        {
            return Results.Problem(detail: $"Not a Slack request this endpoint understands: {read.Inbound?.Reason}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!read.Accepted)
        {
            // Forged, stale, unsigned or oversized: say nothing more than the status.
            return Results.StatusCode(read.StatusCode);
        }

        var delivery = read.Inbound!;
        switch (delivery.Kind)
        {
            case SlackInboundKind.UrlVerification:
                Log.UrlVerified(logger);
                return Results.Text(delivery.Challenge, "text/plain");
            case SlackInboundKind.Request when delivery.Request is { } request:
                // Mentions and DMs carry no name; slash commands do, and skip the lookup.
                request = await names.WithDisplayNameAsync(request, context.RequestAborted);
                return Answer(context, endpoint, request.DeliveryId, delivery.IsRetry, await inbox.ReceiveAsync(request, context.RequestAborted), logger);
            case SlackInboundKind.Action when delivery.Action is { } action:
                return Answer(context, endpoint, action.DeliveryId, delivery.IsRetry, await inbox.ReceiveAsync(action, context.RequestAborted), logger);
            default:
                Log.DeliveryIgnored(logger, endpoint, delivery.Reason);
                return Results.Ok();
        }
    }

    private static IResult Answer(HttpContext context, SlackEndpoint endpoint, string deliveryId, bool isRetry, InboxAdmission admission, ILogger logger)
    {
        if (isRetry)
        {
            var headers = context.Request.Headers;
            Log.Redelivery(logger, deliveryId, headers[SlackHttpInbound.RetryNumHeader].ToString(), headers["X-Slack-Retry-Reason"].ToString());
        }

        if (admission == InboxAdmission.Full)
        {
            // Slack shows the user an error for a failed slash command and redelivers events.
            Log.InboxFull(logger, endpoint, deliveryId);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Log.DeliveryKept(logger, endpoint, deliveryId);
        return endpoint == SlackEndpoint.Commands
            // Echo the typed command into the channel, so everyone sees who asked for what.
            ? Results.Text(SlackHttpInbound.InChannelAcknowledgement, "application/json")
            : Results.Ok();
    }
}
