using ChatOps.Integrations.Slack;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound.Slack;

/// <summary>
/// A signing secret without a bot token would let the host accept Slack commands and never answer
/// them (every reply needs the Web API), so it is refused at start-up rather than failing per message.
/// </summary>
internal sealed class SlackHostOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
        !string.IsNullOrWhiteSpace(options.SigningSecret) && !options.Enabled
            ? ValidateOptionsResult.Fail("Slack:SigningSecret is set but Slack:BotToken (xoxb-…) is not: Slack requests would be accepted and never answered.")
            : ValidateOptionsResult.Success;
}
