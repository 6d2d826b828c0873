namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// An answer computed for a request as it was received (<see cref="IQueryAnswers"/>), and when computing it began: a
/// delivery of the same sender's that finished since then may have changed what the answer should say.
/// </summary>
public sealed record QueryAnswer(OutgoingMessage Message, DateTimeOffset Since);
