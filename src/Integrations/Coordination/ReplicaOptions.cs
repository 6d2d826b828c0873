using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// This process as one replica of the bot among others sharing the state store. With one process nothing needs
/// setting: it is then the only replica, and behaves as the bot always did.
/// </summary>
public sealed class ReplicaOptions
{
    public const string SectionName = "Replicas";

    /// <summary>
    /// The replica's name: letters, digits and <c>. _ : -</c>, at most 100. Two live replicas may not share one.
    /// <value>Default: host name, process id and a random suffix (<c>web1-4242-9f3a1c</c>), new at every start.</value>
    /// </summary>
    [RegularExpression(NamePattern, ErrorMessage = "Replicas:Name may hold only letters, digits and . _ : - (at most 100), starting with a letter or digit.")]
    public string? Name { get; set; }

    /// <summary>How often the replica says it is alive. <value>Default: 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How old a replica's last heartbeat may be before the others hold it dead, recover its runs and take its
    /// schedules. At least three heartbeats, so one slow write is not a death. <value>Default: 10 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far apart the replicas' clocks may be. On a database server, a command that only reads is answered as it
    /// arrives only if nothing of the sender's finished within this of when the answer began, by whichever replica's
    /// clock; each replica reports itself degraded while its clock is off the server's by more than half of it.
    /// <value>Default: 500 milliseconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ClockTolerance { get; set; } = DefaultClockTolerance;

    internal static readonly TimeSpan DefaultClockTolerance = TimeSpan.FromMilliseconds(500);

    internal const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$";
}

[OptionsValidator]
internal sealed partial class ReplicaOptionsDataValidator : IValidateOptions<ReplicaOptions>;

/// <summary>What the attributes cannot say: a name set but blank, and a bound too short for its heartbeat.</summary>
internal sealed class ReplicaOptionsValidator : IValidateOptions<ReplicaOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Name is not null && string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add($"{ReplicaOptions.SectionName}:Name is empty; leave it out for the default (host, process id and a random suffix) or give each replica a name of its own.");
        }

        if (options.DeadAfter < options.HeartbeatInterval * 3)
        {
            errors.Add($"{ReplicaOptions.SectionName}:DeadAfter ({options.DeadAfter}) must be at least three heartbeats ({ReplicaOptions.SectionName}:HeartbeatInterval is {options.HeartbeatInterval}), or a live replica would be held dead after one slow write.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
