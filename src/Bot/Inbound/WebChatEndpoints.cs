using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The web chat's HTTP API, used by its page, the tests and scripts. Who may call it is decided before it is
/// reached (<see cref="ChatOps.Bot.Access.ApiAccess"/>); bodies are JSON only, so a cross-site form or a no-preflight
/// <c>text/plain</c> fetch cannot pass for the page.
/// </summary>
internal static partial class WebChatEndpoints
{
    /// <summary>Longest message text accepted, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 4096;

    /// <summary>Longest request body accepted.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/chat");
        api.MapGet("/channels", (WebChatStore store, IOptions<WebChatOptions> options) => Results.Ok(options.Value.EffectiveChannels));
        api.MapPost("/messages", PostMessageAsync);
        api.MapGet("/channels/{channel}/messages", ListMessagesAsync);
        api.MapPost("/actions", PressAsync);
        api.MapGet("/stream", Stream);
        api.MapGet("/commands", Commands);
        api.MapGet("/messages/{id}/image", ImageAsync);
        return app;
    }

    private static async Task<IResult> PostMessageAsync(HttpRequest request, WebChatStore store, ChatInbox inbox, IOptions<WebChatOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync<PostMessageBody>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var channel = body!.Channel?.TrimStart('#') ?? "";
        if (ValidateSender(store, options.Value, channel, body.User) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(body.Text))
        {
            return Problem("`text` is required and must not be blank.");
        }

        var bytes = Encoding.UTF8.GetByteCount(body.Text);
        if (bytes > MaxTextBytes)
        {
            return Problem($"`text` is {bytes} bytes; at most {MaxTextBytes} are accepted.", StatusCodes.Status413PayloadTooLarge);
        }

        // Kept durably before the 202, in one transaction with the inbox: once the page hears "accepted" a crash
        // cannot lose it, and a message refused as "busy" is neither kept nor shown. A command that only reads is kept
        // with its answer, in the same transaction, when nothing of the sender's waits before it.
        var user = new ChatUser(WebChatSender.PlatformName, body.User!);
        var destination = new ChatDestination(WebChatSender.PlatformName, channel);
        var answer = await inbox.AnswerQueryAsync(destination, user, body.Text, cancellationToken);
        var committed = inbox.Wake;
        var posted = await store.PostIfAdmittedAsync(channel, body.User!, body.Text, async (id, connection, transaction) =>
        {
            (var admission, committed) = await inbox.ReceiveAsync(new ChatRequest(destination, user, body.Text, $"webchat:{id}", id), answer, connection, transaction,
                cancellationToken);
            return admission != InboxAdmission.Full;
        }, cancellationToken);
        if (posted is null)
        {
            return Problem("The bot is busy; try again in a moment.", StatusCodes.Status503ServiceUnavailable);
        }

        committed();
        return Results.Accepted($"/api/chat/channels/{channel}/messages", new { id = posted.Id });
    }

    // The page passes the name typed in it (trusted on loopback or with the token, as for posting): the
    // messages meant for that person alone are listed with everyone's. Without a name, only everyone's.
    private static async Task<IResult> ListMessagesAsync(string channel, string? user, WebChatStore store, CancellationToken cancellationToken)
    {
        channel = channel.TrimStart('#');
        if (!store.IsChannel(channel))
        {
            return Problem($"There is no channel `{channel}`.", StatusCodes.Status404NotFound);
        }

        return InvalidViewer(user) ?? Results.Ok(await store.ListAsync(channel, user, cancellationToken));
    }

    private static async Task<IResult> PressAsync(HttpRequest request, WebChatStore store, IChatInbox inbox, IOptions<WebChatOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync<PressBody>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var channel = body!.Channel?.TrimStart('#') ?? "";
        if (ValidateSender(store, options.Value, channel, body.User) is { } invalid)
        {
            return invalid;
        }

        // The button must be on the message named, and message ids carry an unguessable tag (WebChatMessageIds):
        // knowing that decisions are `confirm:7` or `approve:7` is not enough to press one without seeing it.
        var message = body.MessageId is null ? null : await store.GetAsync(body.MessageId, cancellationToken);
        if (message is null || message.Channel != channel || !message.IsVisibleTo(body.User))
        {
            return Problem($"There is no message `{body.MessageId}` in `{channel}`.", StatusCodes.Status404NotFound);
        }

        if (message.Buttons.All(b => b.ActionId != body.ActionId))
        {
            return Problem($"Message `{message.Id}` has no button `{body.ActionId}` (any more).", StatusCodes.Status409Conflict);
        }

        var admission = await inbox.ReceiveAsync(new ChatAction(new ChatDestination(WebChatSender.PlatformName, channel), new ChatUser(WebChatSender.PlatformName, body.User!),
            message.Id, body.ActionId!, $"webchat-press:{Guid.NewGuid():N}"), cancellationToken);
        return admission != InboxAdmission.Full ? Results.Accepted() : Problem("The bot is busy; try again in a moment.", StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Stream(string? channel, string? user, WebChatFeed feed, IOptions<WebChatOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (InvalidViewer(user) is { } invalid)
        {
            return invalid;
        }

        var wanted = channel?.TrimStart('#');
        var messages = WebChatStreamEnd.UntilStopping(
            stopping => feed.SubscribeAsync(options.Value.StreamKeepAlive, time, stopping), lifetime.ApplicationStopping, cancellationToken);
        return TypedResults.ServerSentEvents(Filter(messages, wanted, user));

        // The first event goes out at once, so the response starts and the page knows it is live
        // before anything is posted; heartbeats keep a quiet stream open through proxies. A message meant
        // for one person goes only to a stream opened with their name.
        // The feed is subscribed before "ready" goes out: the first step runs until it waits for a message, so
        // whatever is posted once the client hears "ready" already reaches this stream.
        static async IAsyncEnumerable<SseItem<object>> Filter(IAsyncEnumerable<WebChatMessage?> messages, string? wanted, string? viewer)
        {
            var next = messages.GetAsyncEnumerator(CancellationToken.None); // the feed already ends with the request
            var pending = next.MoveNextAsync().AsTask();
            try
            {
                yield return new SseItem<object>(new { channel = wanted }, "ready");
                while (await pending)
                {
                    var message = next.Current;
                    pending = next.MoveNextAsync().AsTask();
                    if (message is null)
                    {
                        yield return new SseItem<object>(new { }, "ping");
                    }
                    else if ((wanted is null || message.Channel == wanted) && message.IsVisibleTo(viewer))
                    {
                        yield return new SseItem<object>(message, "message");
                    }
                }
            }
            finally
            {
                // A step still under way when the client leaves ends with the request; the enumerator cannot be
                // disposed before it has.
                try
                {
                    await pending;
                }
                catch (OperationCanceledException)
                {
                }

                await next.DisposeAsync();
            }
        }
    }

    private static IResult Commands(string? user, HelpFormatter help, PrincipalResolver principals)
    {
        var principal = principals.Resolve(new ChatUser(WebChatSender.PlatformName, string.IsNullOrWhiteSpace(user) ? "anonymous" : user));
        return Results.Ok(help.VerbsFor(principal).Select(v => new
        {
            verb = v.Name,
            usage = v.SlashUsage,
            summary = v.Summary,
            examples = v.Examples,
        }));
    }

    private static async Task<IResult> ImageAsync(string id, WebChatStore store, CancellationToken cancellationToken) =>
        await store.GetImageAsync(id, cancellationToken) is { } png ? Results.File(png, "image/png") : Results.NotFound();

    private static IResult? ValidateSender(WebChatStore store, WebChatOptions options, string channel, string? user)
    {
        if (!store.IsChannel(channel))
        {
            return Problem($"There is no channel `{channel}`. Channels: {string.Join(", ", options.EffectiveChannels)}.");
        }

        if (user is null || !UserPattern().IsMatch(user))
        {
            return Problem("`user` is required: 1 to 32 letters, digits, dots, dashes or underscores.");
        }

        return user.Equals(options.BotName, StringComparison.OrdinalIgnoreCase) ? Problem($"`{user}` is the bot's own name.") : null;
    }

    private static IResult? InvalidViewer(string? user) =>
        user is null || UserPattern().IsMatch(user) ? null : Problem("`user` must be 1 to 32 letters, digits, dots, dashes or underscores.");

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "none" : $"`{request.ContentType}`";
            return (null, Problem($"The request body must be JSON with `Content-Type: application/json` (given: {given}).", StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem($"The request body is larger than {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            return (null, Problem($"The request body is larger than {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        if (DuplicateKey(buffer.ToArray()) is { } key)
        {
            // Two values for one key: a log or a reviewer could read one while the bot acts on the other.
            return (null, Problem($"The request body names `{key}` more than once."));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(buffer.ToArray(), JsonOptions);
            return body is null ? (null, Problem("The request body must be a JSON object.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Problem($"The request body is not valid JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// The first top-level key given twice, compared as the binding does (ignoring case), or null. Malformed
    /// JSON is left for the deserializer to describe.
    /// </summary>
    private static string? DuplicateKey(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && !seen.Add(reader.GetString()!))
                {
                    return reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static IResult Problem(string detail, int status = StatusCodes.Status400BadRequest) =>
        Results.Problem(detail: detail, statusCode: status);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { AllowDuplicateProperties = false };

    // \z, not $: $ also matches before a final newline, so "alice\n" would pass for alice.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}\z")]
    private static partial Regex UserPattern();

    private sealed record PostMessageBody(string? Channel, string? User, string? Text);

    private sealed record PressBody(string? Channel, string? User, string? MessageId, string? ActionId);
}
