using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

internal static class RunRequestReplies
{
    /// <summary>
    /// A started run or a confirmation asked for speaks through the run's own message, so the command adds
    /// nothing; a refusal is said to the requester in the engine's words.
    /// </summary>
    public static CommandResult ToCommandResult(this RunRequestResult result) => result is RunRequestResult.Refused refused
        ? CommandResult.Fail(CommandError.Refused, RunWording.Describe(refused.Refusal))
        : CommandResult.Ok();
}
