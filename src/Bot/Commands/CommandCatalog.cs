namespace ChatOps.Bot.Commands;

/// <summary>Every command the bot understands, declared once.</summary>
public static class CommandCatalog
{
    private static readonly ArgumentDefinition Env = new("env", ArgumentKind.Environment, "the environment") { Required = true };

    public static readonly CommandDefinition EnvCommand = new(
        "env",
        ["environment", "envs"],
        "Drive environments: bring them up, deploy, halt, destroy, balance, sorry page, locks.",
        [
            new()
            {
                Name = "list", Aliases = ["ls", "environments"], Summary = "Show every environment and its state.",
                Examples = ["/env list"],
            },
            new()
            {
                Name = "status", Aliases = ["show", "state", "info"], Arguments = [Env],
                Summary = "Show nodes, health, version, the current run and lock.", Examples = ["/env status test"],
                Phrases = [new("how is {env}"), new("how is {env} doing")],
            },
            new()
            {
                Name = "up", Aliases = ["start", "bring up", "spin up", "boot"], Arguments = [Env], StartsRun = true,
                Summary = "Start every node and wait until it is healthy.", Gerund = "bringing {env} up",
                Examples = ["/env up test", "bring up dev", "@bot start test"],
                Phrases = [new("bring {env} up"), new("spin {env} up")],
            },
            new()
            {
                Name = "provision", Aliases = ["deploy", "roll out", "release"], StartsRun = true,
                Arguments = [Env, new("version", ArgumentKind.Version, "the version to deploy; without it the deployed version is redeployed")],
                Summary = "Deploy a version and restart the nodes with it.", Gerund = "provisioning {env}",
                Examples = ["/env provision test version=7", "deploy 1.4.2 to prod"],
                Phrases = [new("deploy {version} to {env}"), new("roll out {version} to {env}")],
            },
            new()
            {
                Name = "halt", Aliases = ["stop", "shutdown", "shut down", "bring down", "take down"], Arguments = [Env], StartsRun = true,
                Summary = "Stop every node, keeping their files.", Gerund = "halting {env}", Examples = ["/env halt dev", "@bot halt dev"],
                Phrases = [new("bring {env} down"), new("shut {env} down"), new("take {env} down")],
            },
            new()
            {
                Name = "destroy", Aliases = ["teardown", "tear down", "delete", "remove"], Arguments = [Env], StartsRun = true,
                Summary = "Stop every node and remove its working directory.", Gerund = "destroying {env}", Examples = ["/env destroy dev"],
                Phrases = [new("tear {env} down")],
            },
            new()
            {
                Name = "balance", Aliases = ["weights", "rebalance", "weight"], StartsRun = true,
                Arguments = [Env, new("weights", ArgumentKind.Weights, "node=weight pairs (0-256); none means even")],
                Summary = "Set load-balancer weights per node; no weights means even.", Gerund = "rebalancing {env}",
                Examples = ["/env balance prod web1=80 web2=20", "/env balance prod"],
            },
            new()
            {
                Name = "sorry", Aliases = ["maintenance"], StartsRun = true,
                Arguments =
                [
                    Env,
                    new("state", ArgumentKind.Choice, "on shows the sorry page, off brings the nodes back") { Required = true, AllowedValues = ["on", "off"] },
                    new("message", ArgumentKind.Text, "what the sorry page says") { Positional = false },
                ],
                Summary = "Serve the sorry page instead of the nodes, or stop serving it.", Gerund = "switching the sorry page of {env}",
                Examples = ["/env sorry prod on message=\"Back at 9pm\"", "put prod in sorry mode", "/env sorry prod off"],
                Phrases =
                [
                    new("put {env} in sorry mode", new Dictionary<string, string> { ["state"] = "on" }),
                    new("put {env} into sorry mode", new Dictionary<string, string> { ["state"] = "on" }),
                    new("take {env} out of sorry mode", new Dictionary<string, string> { ["state"] = "off" }),
                ],
            },
            new()
            {
                Name = "history", Aliases = ["log", "runs"], Arguments = [Env],
                Summary = "Show recent runs: who, what, when and the result.", Examples = ["/env history prod"],
            },
            new()
            {
                Name = "lock", Aliases = ["hold", "reserve"], Arguments = [Env, new("reason", ArgumentKind.Text, "why you hold it")],
                Summary = "Hold an environment for yourself: others' runs are refused until you unlock it.",
                Examples = ["/env lock test testing the new checkout"],
            },
            new()
            {
                Name = "unlock", Aliases = ["free"], Arguments = [Env],
                Summary = "Release your lock (ops can break someone else's).", Examples = ["/env unlock test"],
            },
            new()
            {
                Name = "cancel", Aliases = ["abort"], Arguments = [Env],
                Summary = "Cancel the run in progress.", Examples = ["/env cancel test"],
            },
        ]);

    public static readonly CommandDefinition PulseCommand = new(
        "pulse", [], "Post the business pulse now.",
        [new() { Name = "pulse", Summary = "Post every KPI's pulse to the pulse channels now.", Examples = ["/pulse"] }]);

    private static readonly ArgumentDefinition AlertId = new("id", ArgumentKind.Text, "the alert's number, as shown on its message (#42)") { Required = true };

    public static readonly CommandDefinition AlertCommand = new(
        "alert", ["alerts"], "See, acknowledge, resolve and mute alerts.",
        [
            new() { Name = "list", Aliases = ["ls", "open"], Summary = "Show open alerts.", Examples = ["/alert list"] },
            new()
            {
                Name = "ack", Aliases = ["acknowledge"], Arguments = [AlertId],
                Summary = "Acknowledge an alert: every copy of its message says who, and escalation stops.", Examples = ["/alert ack 42"],
            },
            new() { Name = "resolve", Aliases = ["close"], Arguments = [AlertId], Summary = "Resolve an alert.", Examples = ["/alert resolve 42"] },
            new()
            {
                Name = "mute", Aliases = ["silence"],
                Arguments =
                [
                    new("matcher", ArgumentKind.Text, "label=value pairs (comma-separated) or an alert number") { Required = true },
                    new("duration", ArgumentKind.Text, "how long: 30m, 2h, 1d") { Required = true },
                ],
                Summary = "Silence matching alerts for a while, visibly in the alert channels.",
                Examples = ["/alert mute alertname=DiskFull 2h", "/alert mute 42 30m"],
            },
        ]);

    public static readonly CommandDefinition HelpCommand = new(
        "help", ["?", "commands"], "Show what you can ask, or how one verb works.",
        [new() { Name = "help", Summary = "Show what you can ask.", Arguments = [new("topic", ArgumentKind.Text, "a verb")], Examples = ["help", "help provision"] }]);

    public static IReadOnlyList<CommandDefinition> All { get; } = [EnvCommand, PulseCommand, AlertCommand, HelpCommand];

    /// <summary>Every verb that has a handler: the environment verbs and the one-verb commands.</summary>
    public static IEnumerable<(CommandDefinition Command, VerbDefinition Verb)> Handled =>
        All.Where(c => c != HelpCommand).SelectMany(c => c.Verbs.Select(v => (c, v)));

    /// <summary>How a verb is typed as a slash command: <c>/env up &lt;env&gt;</c>, <c>/pulse</c>.</summary>
    public static string SlashUsage(CommandDefinition command, VerbDefinition verb) =>
        command == EnvCommand || command == AlertCommand ? $"/{command.Name} {verb.Usage}" : $"/{verb.Usage}";

    /// <summary>
    /// The registered handler for a verb. Alert verbs share words with environment verbs (<c>list</c>),
    /// so their handlers are registered as <c>alert-{verb}</c>.
    /// </summary>
    public static string HandlerName(CommandDefinition command, VerbDefinition verb) =>
        command == AlertCommand ? $"alert-{verb.Name}" : verb.Name;
}
