using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Teams;
using ChatOps.Integrations.Teams.Authentication;
using ChatOps.Integrations.Teams.Inbound;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound.Teams;

/// <summary>
/// The Bot Framework messaging endpoint <c>/api/messages</c>, mapped only when <c>Teams:AppId</c> is set. Each
/// activity's bearer token is verified before anything happens (401, or 403 for a channel the key is not endorsed
/// for, and nothing else); then messages and button presses are written into the durable <see cref="IChatInbox"/>
/// and answered at once, without waiting for the command: replies go out later through the Connector. An
/// <c>Action.Execute</c> press is answered with the card's new state (the invoke response). A redelivered activity
/// carries the same id, which the inbox already holds, so none runs twice.
/// </summary>
internal static class TeamsEndpoints
{
    public const string MessagesPath = "/api/messages";

    /// <summary>How long the Bot Framework is asked to wait before redelivering an activity the full inbox refused.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>What someone Teams names without an Entra ID object id is told.</summary>
    public const string UnidentifiedText =
        "I can't tell who you are: Teams sent no Microsoft Entra ID object id for your account (guests from outside the "
        + "organisation and the Bot Framework Emulator have none), and permissions here are given to those ids. "
        + "Please ask from your organisation's Teams account.";

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value.Enabled)
        {
            app.MapPost(MessagesPath, HandleAsync).ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, TeamsHttpInbound inbound, IChatInbox inbox, IChatOutbox outbox, TeamsInvokeResponses invokes, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TeamsEndpoints).FullName!);
        var cancellationToken = context.RequestAborted;
        var read = await inbound.ReadAsync(context.Request, cancellationToken);
        if (read.Failure != BotFrameworkTokenFailure.None)
        {
            return Refused(context, read.Failure);
        }

        if (!read.Accepted)
        {
            return Results.Problem(detail: $"Not a Bot Framework activity this endpoint understands: {read.Reason}.", statusCode: read.StatusCode);
        }

        var activity = read.Inbound!;
        switch (activity.Kind)
        {
            case TeamsInboundKind.Request:
                return Answer(context, activity, await inbox.ReceiveAsync(activity.Request!, cancellationToken), logger);
            case TeamsInboundKind.Action when !activity.IsInvoke:
                return Answer(context, activity, await inbox.ReceiveAsync(activity.Action!, cancellationToken), logger);
            case TeamsInboundKind.Action:
                var admission = await inbox.ReceiveAsync(activity.Action!, cancellationToken);
                if (admission == InboxAdmission.Full)
                {
                    // An invoke cannot be redelivered later; the person is told to press again.
                    Log.InboxFull(logger, activity.ActivityId);
                    return Results.Json(TeamsInvokeResponses.Message(ChatInbox.BusyText));
                }

                Log.ActivityKept(logger, activity.ActivityId, admission);
                return Results.Json(await invokes.PressedAsync(activity.Action!, cancellationToken));
            case TeamsInboundKind.Unidentified:
                Log.Unidentified(logger, activity.ActivityId, activity.Reason);
                if (activity.IsInvoke)
                {
                    return Results.Json(TeamsInvokeResponses.Message(UnidentifiedText));
                }

                await TellUnidentifiedAsync(outbox, activity, cancellationToken);
                return Results.Ok();
            case TeamsInboundKind.UnknownInvoke:
                Log.Ignored(logger, activity.ActivityId, activity.Reason);
                return Results.StatusCode(StatusCodes.Status501NotImplemented);
            default:
                Log.Ignored(logger, activity.ActivityId, activity.Reason);
                return Results.Ok();
        }
    }

    private static IResult Answer(HttpContext context, TeamsInbound activity, InboxAdmission admission, ILogger logger)
    {
        if (admission == InboxAdmission.Full)
        {
            // The Bot Framework redelivers an activity answered with a server error; the delivery id stays the same.
            Log.InboxFull(logger, activity.ActivityId);
            context.Response.Headers.RetryAfter = ((int)BusyRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(detail: "The bot's inbox is full; deliver this activity again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        Log.ActivityKept(logger, activity.ActivityId, admission);
        return Results.Ok();
    }

    /// <summary>Once per activity (keyed by its id), in the thread it came from.</summary>
    private static async Task TellUnidentifiedAsync(IChatOutbox outbox, TeamsInbound activity, CancellationToken cancellationToken)
    {
        var destination = activity.Destination!;
        var threadKey = activity.ThreadOf is { } root ? await outbox.AdoptThreadParentAsync(destination, root, cancellationToken) : null;
        var message = OutgoingMessage.Plain(UnidentifiedText);
        await outbox.EnqueuePostAsync($"teams-unidentified:{activity.ActivityId}", destination, message, threadKey, cancellationToken: cancellationToken);
    }

    private static IResult Refused(HttpContext context, BotFrameworkTokenFailure failure)
    {
        if (failure == BotFrameworkTokenFailure.KeysUnavailable)
        {
            context.Response.Headers.RetryAfter = ((int)BusyRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(title: "Bot Framework tokens cannot be verified yet", detail: "The Bot Framework's signing keys could not be fetched from Teams:OpenIdMetadataUrl; try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (failure == BotFrameworkTokenFailure.ChannelNotEndorsed)
        {
            return Results.Problem(title: "Not a verified Bot Framework request", detail: failure.Describe(), statusCode: StatusCodes.Status403Forbidden);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(title: "Not a verified Bot Framework request", detail: failure.Describe(), statusCode: StatusCodes.Status401Unauthorized);
    }
}
