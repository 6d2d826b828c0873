using System.Text.Json;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Interactions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound.Discord;

/// <summary>
/// Discord's interactions endpoint URL, mapped only when <c>Discord:PublicKey</c> is set (otherwise the path is
/// unknown, 404, like any other). Each request is verified before anything is read from it: a missing or garbled
/// signature, a signature that does not match, or a timestamp more than five minutes from now is 401 and nothing
/// else happens. Discord checks the URL with a signed PING when it is saved, and with unsigned ones to see the 401.
/// Everything else goes to the <see cref="IDiscordInteractionHandler"/> the Gateway uses too, and its response is
/// the HTTP answer: a command is kept and deferred, a press kept and acknowledged, autocomplete answered, all at once.
/// </summary>
internal static class DiscordEndpoints
{
    public const string InteractionsPath = "/discord/interactions";

    /// <summary>Discord's PONG: the interaction response type 1.</summary>
    public const string Pong = "{\"type\":1}";

    public static IEndpointRouteBuilder MapDiscord(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<IOptions<DiscordOptions>>().Value.Enabled)
        {
            app.MapPost(InteractionsPath, HandleAsync).ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, DiscordHttpInbound inbound, IDiscordInteractionHandler handler, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DiscordEndpoints).FullName!);
        var read = await inbound.ReadAsync(context.Request, context.RequestAborted);
        if (read.StatusCode == StatusCodes.Status401Unauthorized)
        {
            return Results.Problem(title: "Not a verified Discord request", detail: Describe(read.Failure), statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!read.Accepted)
        {
            return Results.Problem(detail: $"Not a Discord interaction this endpoint understands: {read.Reason}.", statusCode: read.StatusCode);
        }

        if (read.Type == DiscordInteractionType.Ping)
        {
            Log.PingAnswered(logger);
            return Results.Text(Pong, "application/json");
        }

        try
        {
            using var document = JsonDocument.Parse(read.Body);
            // Not cancelled when Discord hangs up: once the inbox is written, the token must be kept with it.
            var response = await handler.HandleAsync(document.RootElement, CancellationToken.None);
            return Results.Text(response.ToJsonString(), "application/json");
        }
        catch (DiscordInteractionException exception)
        {
            var type = (int)read.Type!.Value;
            Log.InteractionRefused(logger, type, exception.Message);
            return Results.Problem(detail: $"Not a Discord interaction this bot can use: {exception.Message}.", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static string Describe(DiscordVerificationFailure failure) => failure switch
    {
        DiscordVerificationFailure.MissingSignature => $"The {DiscordRequestVerifier.SignatureHeader} header is missing.",
        DiscordVerificationFailure.MissingTimestamp => $"The {DiscordRequestVerifier.TimestampHeader} header is missing.",
        DiscordVerificationFailure.MalformedSignature => $"The {DiscordRequestVerifier.SignatureHeader} header is not a 64-byte signature in hex.",
        DiscordVerificationFailure.MalformedTimestamp => $"The {DiscordRequestVerifier.TimestampHeader} header is not a Unix time in seconds.",
        DiscordVerificationFailure.StaleTimestamp => $"The {DiscordRequestVerifier.TimestampHeader} is more than {DiscordOptions.SignatureTolerance.TotalMinutes:0} minutes from now; a replayed request is refused.",
        DiscordVerificationFailure.BadSignature => "The signature does not match the body, the timestamp and Discord:PublicKey.",
        _ => "Discord requests cannot be verified: Discord:PublicKey is not set.",
    };
}
