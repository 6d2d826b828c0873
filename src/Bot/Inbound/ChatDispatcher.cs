using ChatOps.Bot.Audit;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The one path from a platform-neutral request to a command: resolves the person, completes pending
/// questions and confirmations, parses, checks permission, runs the handler and replies. Platform
/// retries never reach it: the inbox keeps each delivery id once. Every refusal is specific and changes nothing.
/// </summary>
internal sealed class ChatDispatcher(
    CommandRegistry commands,
    CommandCatalog catalog,
    EnvironmentCatalog environments,
    PrincipalResolver principals,
    PermissionPolicy permissions,
    HelpFormatter help,
    Clarifications clarifications,
    WorkflowEngine engine,
    AuditTrail audit,
    ChatReplies replies,
    ButtonOrigins origins,
    CommandOffers offers,
    CommandButtons commandButtons,
    TimeProvider time,
    IOptions<WebChatOptions> webChat,
    ILogger<ChatDispatcher> logger) : IInboxHandler
{
    // Environments and the bot's name are fixed at start-up, so one parser serves every message.
    private readonly CommandParser _parser = new(catalog, [.. environments.Names], webChat.Value.BotName);

    public async Task HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var principal = principals.Resolve(request.User);
        var reply = await AnswerAsync(request, principal, cancellationToken);
        if (reply is not null)
        {
            // A platform that opened a message for the answer (AnswerSlot) has it filled; otherwise the answer goes in the request's thread.
            await replies.ReplyAsync(ChatReplies.ReplyKey(request.DeliveryId), request.Destination, reply, request.AnswerSlot ?? request.ThreadOf, cancellationToken);
        }
    }

    /// <summary>
    /// The answer to <paramref name="text"/> when it is a command that only reads (<see cref="VerbDefinition.OnlyReads"/>)
    /// and its sender may run it, or a request for help while no question waits for the sender's answer: the answer the
    /// queue would give, computed now. Null for anything else, including a refusal, which is audited and so is the
    /// queue's to give.
    /// </summary>
    public async Task<OutgoingMessage?> AnswerQueryAsync(ChatDestination destination, ChatUser user, string text, CancellationToken cancellationToken)
    {
        text = text.Trim();
        // An environment's name alone may answer a pending confirmation: the queue's to do too.
        if (environments.Find(text.ToLowerInvariant()) is not null)
        {
            return null;
        }

        var outcome = _parser.Parse(text);
        if (outcome is HelpRequested helpRequest)
        {
            // A pending question takes the next message, help included (DecideAsync): that changes it, so it is the queue's.
            var asker = principals.Resolve(user);
            return await clarifications.IsPendingAsync(ConversationKey(destination, asker), cancellationToken)
                ? null
                : Addressed(Help(helpRequest, asker), ReplyAudience.IsForAskerAlone(outcome), user);
        }

        if (outcome is not Parsed { Invocation.Verb.OnlyReads: true } parsed)
        {
            return null;
        }

        var principal = principals.Resolve(user);
        var (environment, permission) = Authorize(parsed.Invocation, principal);
        if (!permission.Allowed)
        {
            return null;
        }

        var result = await commands.For(parsed.Invocation.Verb).ExecuteAsync(new CommandContext(principal, destination, parsed.Invocation, environment, permission), cancellationToken);
        return Addressed(result.Reply, ReplyAudience.IsForAskerAlone(parsed, result), user);
    }

    public async Task HandleAsync(ChatAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var principal = principals.Resolve(action.User);
        // Looked up once for every kind of button: a press not from the message that shows it changes nothing.
        var carrier = await origins.MisplacedAsync(action, cancellationToken);
        if (carrier is null && CommandOffers.TryParse(action.ActionId, out var offerId))
        {
            var (answer, refused) = await PressOfferAsync(action, principal, offerId, cancellationToken);
            if (answer is not null)
            {
                // The command's answer is posted as a typed command's would be, in the channel, where its own buttons can be pressed; a refusal goes under the button.
                await replies.ReplyAsync(ChatReplies.ReplyKey(action.DeliveryId), action.Destination, answer, refused ? action.MessageId : null, cancellationToken);
            }

            return;
        }

        var reply = carrier is null ? await PressAsync(action, principal, cancellationToken) : await RefuseMisplacedAsync(action, principal, carrier, cancellationToken);
        if (reply is not null)
        {
            // A press that did something shows it on the message it is on; words come back only when it changed
            // nothing (not theirs to press, no longer pending, no permission): a refusal, for the presser alone.
            await replies.ReplyAsync(ChatReplies.ReplyKey(action.DeliveryId), action.Destination,
                ReplyAudience.ForAsker(OutgoingMessage.Plain($"{principal.DisplayName}: {reply}"), action.User), action.MessageId, cancellationToken);
        }
    }

    /// <summary>
    /// A press of an offered command: only by the person it was offered to, once, before it expires. The command then
    /// takes the very path typed text takes (permission, lock, confirmation), answered in the press's own reply.
    /// </summary>
    private const string AlreadyAnswered = "that was already answered with a button on the same message.";

    private async Task<(OutgoingMessage? Answer, bool Refused)> PressOfferAsync(ChatAction action, Principal principal, long offerId, CancellationToken cancellationToken)
    {
        var offer = await offers.GetAsync(offerId, cancellationToken);
        if (offer is null)
        {
            return (OutgoingMessage.Plain($"{principal.DisplayName}: that button no longer does anything. Type the command instead."), true);
        }

        if (!principal.Is(offer.PrincipalId))
        {
            Log.OfferRefused(logger, action.ActionId, principal.Id, offer.PrincipalId);
            await audit.AppendAsync(new AuditEntry(principal.Id, principal.DisplayName, "press-refused", null, null,
                $"{action.ActionId} offered to {offer.PrincipalId}: `{offer.Text}`"), cancellationToken);
            return (OutgoingMessage.Plain($"{principal.DisplayName}: that button was offered to {offer.PrincipalName}, so only they can press it. " +
                                         $"To run it yourself, type `{offer.Text}`."), true);
        }

        if (offer.Used)
        {
            return (OutgoingMessage.Plain($"{principal.DisplayName}: {AlreadyAnswered}"), true);
        }

        if (offer.ExpiresAt <= time.GetUtcNow())
        {
            return (OutgoingMessage.Plain($"{principal.DisplayName}: that question expired at {ChatTime.Mark(offer.ExpiresAt)}. Type `{offer.Text}` to run it now."), true);
        }

        if (!await offers.UseAsync(offer, cancellationToken))
        {
            // Another button of the same message was pressed at the same moment, and won.
            return (OutgoingMessage.Plain($"{principal.DisplayName}: {AlreadyAnswered}"), true);
        }

        // The question is answered: its buttons go, and the message says which one was chosen.
        await replies.ReplaceAsync(offer.ReplyKey, offer.Destination,
            new OutgoingMessage { Text = offer.Message, Context = [$"{principal.DisplayName} chose `{offer.Text}`"] }, cancellationToken);

        var key = ConversationKey(action.Destination, principal);
        if (offer.Question is { } question)
        {
            await clarifications.ForgetAsync(key, question, cancellationToken);
        }

        return (await AnswerAsync(new ChatRequest(action.Destination, action.User, offer.Text, action.DeliveryId), principal, cancellationToken), false);
    }

    /// <summary>Signed by the platform but not from the message that shows the button: a forgery or a stale copy. Nothing changes.</summary>
    private async Task<string> RefuseMisplacedAsync(ChatAction action, Principal principal, ChatPostLocation carrier, CancellationToken cancellationToken)
    {
        Log.PressRefused(logger, action.ActionId, action.MessageId, action.Destination.ToString(), carrier.MessageId, carrier.Destination.ToString());
        await audit.AppendAsync(new AuditEntry(principal.Id, principal.DisplayName, "press-refused", null, null,
            $"{action.ActionId} pressed on message {action.MessageId} in {action.Destination}; the button is on a message in {carrier.Destination}"), cancellationToken);
        return ButtonOrigins.RefusalText;
    }

    private async Task<string?> PressAsync(ChatAction action, Principal principal, CancellationToken cancellationToken)
    {
        // A button a command declared goes to that command; the rest are a decision's (confirm, approve, cancel).
        if (commands.ButtonOwner(action.ActionId) is var (owner, id))
        {
            return await owner.PressAsync(new ButtonPress(action, principal, id), cancellationToken) is { Succeeded: false, Reply: { } refusal }
                ? refusal.Text
                : null;
        }

        return DecisionActions.TryParse(action.ActionId, out var verb, out var decisionId)
            ? Reply(await engine.AnswerAsync(verb, decisionId, principal, cancellationToken))
            : "That button no longer does anything.";
    }

    /// <summary>A recorded answer shows on the run's message; only a refusal comes back in words.</summary>
    private static string? Reply(DecisionAnswer answer) => answer is DecisionAnswer.Refused refused ? RunWording.Describe(refused.Refusal) : null;

    /// <summary>The answer to <paramref name="request"/>, addressed to its asker alone when <see cref="ReplyAudience"/> says so.</summary>
    private async Task<OutgoingMessage?> AnswerAsync(ChatRequest request, Principal principal, CancellationToken cancellationToken)
    {
        var (reply, forAskerAlone) = await DecideAsync(request, principal, cancellationToken);
        return Addressed(reply, forAskerAlone, request.User);
    }

    /// <summary>Where a person's pending question (<see cref="Clarifications"/>) is kept: one per person and channel.</summary>
    private static string ConversationKey(ChatDestination destination, Principal principal) => $"{destination}|{principal.Id}";

    private OutgoingMessage Help(HelpRequested request, Principal principal) =>
        OutgoingMessage.Plain(request.Topic is null ? help.Overview(principal) : help.About(principal, request.Topic));

    private static OutgoingMessage? Addressed(OutgoingMessage? reply, bool forAskerAlone, ChatUser asker) =>
        reply is not null && forAskerAlone ? ReplyAudience.ForAsker(reply, asker) : reply;

    private async Task<(OutgoingMessage? Reply, bool ForAskerAlone)> DecideAsync(ChatRequest request, Principal principal, CancellationToken cancellationToken)
    {
        var key = ConversationKey(request.Destination, principal);
        var text = request.Text.Trim();

        // Typing the environment's name answers a pending confirmation.
        if (environments.Find(text.ToLowerInvariant()) is { } named)
        {
            if (await engine.ConfirmByNameAsync(named.Name, principal, request.Destination, cancellationToken) is { } confirmation)
            {
                return (Reply(confirmation) is { } refusal ? OutgoingMessage.Plain(refusal) : null, false);
            }
        }

        var outcome = _parser.Parse(text);
        if (outcome is not Parsed && await clarifications.TakeAsync(key, cancellationToken) is { } pending)
        {
            // Answered by typing: the question's buttons are spent and taken off, so the answer cannot be given twice.
            foreach (var spent in await offers.SpendQuestionAsync(request.Destination, principal.Id, pending, cancellationToken))
            {
                await replies.ReplaceAsync(spent.ReplyKey, spent.Destination, new OutgoingMessage { Text = spent.Message, Context = [$"{principal.DisplayName} answered by typing"] },
                    cancellationToken);
            }

            var completed = _parser.Parse($"{pending} {text}");
            outcome = completed is Parsed or NeedsArgument || outcome is ParseFailure { Error: CommandError.UnknownCommand } ? completed : outcome;
        }

        switch (outcome)
        {
            case NeedsArgument question:
                await clarifications.AskAsync(key, question.Text, cancellationToken);
                return (await commandButtons.AskAsync(question, principal, ChatReplies.ReplyKey(request.DeliveryId), request.Destination, cancellationToken),
                    ReplyAudience.IsForAskerAlone(outcome));
            case HelpRequested helpRequest:
                return (Help(helpRequest, principal), ReplyAudience.IsForAskerAlone(outcome));
            case ParseFailure failure:
                var correction = await commandButtons.CorrectAsync(failure, failure.Error == CommandError.UnknownCommand
                    ? $"{failure.Message} Type `help` to see what I can do."
                    : failure.Message, principal, ChatReplies.ReplyKey(request.DeliveryId), request.Destination, cancellationToken);
                // A correction that offers buttons is edited once pressed, and Slack cannot edit an ephemeral
                // message through the Web API: such a prompt stays in the channel, like a clarifying question.
                return (correction, correction.Buttons.Count == 0 && ReplyAudience.IsForAskerAlone(outcome));
            case Parsed parsed:
                var result = await ExecuteAsync(parsed.Invocation, principal, request, cancellationToken);
                return (result.Reply, ReplyAudience.IsForAskerAlone(outcome, result));
            default:
                return (null, false);
        }
    }

    /// <summary>The invocation's environment, if it names one, and whether <paramref name="principal"/> may run it there; a command without one is allowed.</summary>
    private (EnvironmentDefinition? Environment, Permission Permission) Authorize(CommandInvocation invocation, Principal principal) =>
        invocation.Environment is { } name && environments.Find(name) is { } environment
            ? (environment, permissions.Check(principal, environment, invocation.Verb.Name))
            : (null, Permission.Allow(RiskTier.None));

    private async Task<CommandResult> ExecuteAsync(CommandInvocation invocation, Principal principal, ChatRequest request, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        var (environment, permission) = Authorize(invocation, principal);
        if (!permission.Allowed)
        {
            await audit.AppendAsync(new AuditEntry(principal.Id, principal.DisplayName, "denied", environment!.Name, null,
                $"{invocation.Verb.Name}: {permission.Reason}"), cancellationToken);
            return CommandResult.Fail(CommandError.Unauthorized, permission.Reason!);
        }

        return await commands.For(invocation.Verb).ExecuteAsync(new CommandContext(principal, destination, invocation, environment, permission, request.AnswerSlot), cancellationToken);
    }
}
