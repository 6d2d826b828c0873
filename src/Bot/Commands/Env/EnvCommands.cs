namespace ChatOps.Bot.Commands.Env;

/// <summary>The <c>/env</c> group, whose verbs are also understood in whole sentences, and the argument most of them take.</summary>
internal static class EnvCommands
{
    public static readonly CommandGroup Group = new(
        "env", ["environment", "envs"], "Drive environments: bring them up, deploy, halt, destroy, balance, sorry page, locks.")
    {
        IsConversational = true,
        IsPermittedPerEnvironment = true,
    };

    /// <summary>The environment a verb acts on.</summary>
    public static readonly ArgumentDefinition Environment = new(CommandInvocation.EnvironmentArgument, ArgumentKind.Environment, "the environment") { Required = true };
}
