using ChatOps.Bot.Commands;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The buttons under "Did you mean …?" and under a question: one per correction, or one per answer the
/// person may give (each environment they may use for that verb, each allowed choice). Each is offered to
/// that person only, in that reply only (<see cref="CommandOffers"/>); pressing it runs the command as if
/// they had typed it.
/// </summary>
internal sealed class CommandButtons(CommandOffers offers, EnvironmentCatalog environments, PermissionPolicy permissions)
{
    /// <summary>The question with a button for each answer <paramref name="principal"/> may give.</summary>
    public async Task<OutgoingMessage> AskAsync(NeedsArgument question, Principal principal, string replyKey, ChatDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var answers = question.Missing.Kind switch
        {
            // Only what this person may do: offering prod to someone who may not touch it only leads to a refusal.
            ArgumentKind.Environment => environments.All.Where(e => permissions.Check(principal, e, question.Verb.Name).Allowed).Select(e => e.Name).Order(StringComparer.Ordinal).ToList(),
            ArgumentKind.Choice => [.. question.Missing.AllowedValues],
            _ => [],
        };
        var message = OutgoingMessage.Plain(question.Question);
        if (answers.Count == 0)
        {
            return message;
        }

        var ids = await offers.OfferAsync(replyKey, destination, principal, question.Text, question.Question, [.. answers.Select(a => $"/{question.Verb.Group.Name} {question.Text} {a}")], cancellationToken);
        return message with { Buttons = [.. answers.Select((a, i) => new ChatButton(ids[i], a))] };
    }

    /// <summary><paramref name="text"/>, with a button running each of the failure's corrections.</summary>
    public async Task<OutgoingMessage> CorrectAsync(ParseFailure failure, string text, Principal principal, string replyKey, ChatDestination destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var message = OutgoingMessage.Plain(text);
        if (failure.Corrections.Count == 0)
        {
            return message;
        }

        var ids = await offers.OfferAsync(replyKey, destination, principal, null, text, failure.Corrections, cancellationToken);
        return message with { Buttons = [.. failure.Corrections.Select((c, i) => new ChatButton(ids[i], c, ButtonStyle.Primary))] };
    }
}
