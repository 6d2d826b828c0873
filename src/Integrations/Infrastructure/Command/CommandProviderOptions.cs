using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Command;

/// <summary>
/// What the Command provider runs for one environment, bound per environment from
/// <c>Environments:{env}:Command</c> and read with <c>IOptionsMonitor.Get(env)</c>.
/// A verb left out is refused with a clear reason when asked for.
/// </summary>
internal sealed class CommandProviderOptions
{
    /// <summary>The parent section; each environment's settings live under <c>{SectionName}:{env}:Command</c>.</summary>
    public const string SectionName = "Environments";

    [ValidateObjectMembers]
    public CommandSpec? Up { get; set; }

    [ValidateObjectMembers]
    public CommandSpec? Provision { get; set; }

    [ValidateObjectMembers]
    public CommandSpec? Halt { get; set; }

    [ValidateObjectMembers]
    public CommandSpec? Destroy { get; set; }

    /// <summary>
    /// Reports the environment's state through its exit code: 0 up, 3 halted (the LSB "not running"
    /// code), 4 destroyed or never created; anything else is unknown.
    /// </summary>
    [ValidateObjectMembers]
    public CommandSpec? Status { get; set; }

    /// <summary>How many output lines per <see cref="OutputInterval"/> go to the run's thread. <value>Default: 20.</value></summary>
    [Range(1, 1000)]
    public int OutputLinesPerInterval { get; set; } = 20;

    /// <summary>The window for <see cref="OutputLinesPerInterval"/>. <value>Default: 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OutputInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many of the last output lines a failure carries. <value>Default: 30.</value></summary>
    [Range(1, 1000)]
    public int KeepLines { get; set; } = 30;

    public CommandSpec? For(InfraVerb verb) => verb switch
    {
        InfraVerb.Up => Up,
        InfraVerb.Provision => Provision,
        InfraVerb.Halt => Halt,
        InfraVerb.Destroy => Destroy,
        _ => null,
    };
}

/// <summary>
/// One program and its argument list. <c>{env}</c>, <c>{version}</c> and <c>{node}</c> are replaced
/// inside each argument, the working directory and environment values; an argument is never split or
/// handed to a shell. When anything mentions <c>{node}</c>, the program runs once per node, in order.
/// </summary>
internal sealed class CommandSpec
{
    /// <summary>A program name looked up on PATH, or a path (relative to the working directory).</summary>
    [Required]
    public string Program { get; set; } = "";

    public List<string> Arguments { get; set; } = [];

    /// <summary>Where the program runs, relative to the content root unless rooted. <value>Default: the content root.</value></summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>How long the program may run before its process tree is killed. <value>Default: 30 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Variables added to the bot's own environment for this program.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}

[OptionsValidator]
internal sealed partial class CommandProviderOptionsValidator : IValidateOptions<CommandProviderOptions>;
