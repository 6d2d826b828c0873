using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// A checked request to run something: the caller has already passed parsing and permissions. Its
/// <see cref="Kind"/> is the requesting command's, from its definition.
/// </summary>
internal sealed record RunRequest(
    EnvironmentDefinition Environment,
    RunKind Kind,
    RunArguments Arguments,
    Principal Requester,
    ChatDestination Destination,
    RiskTier Risk,
    string Preview)
{
    /// <summary>The name the run is stored and permitted under.</summary>
    public string Verb => Kind.Verb;

    /// <summary>
    /// Whether the run takes something away (stops, deletes, hides nodes): its Confirm button is styled
    /// as dangerous. Bringing things back (<c>up</c>, <c>sorry off</c>) is not.
    /// </summary>
    public bool Destructive { get; init; } = true;

    /// <summary>The requesting message's <see cref="Integrations.Chat.ChatRequest.AnswerSlot"/>: the run's message fills it.</summary>
    public string? AnswerSlot { get; init; }
}
