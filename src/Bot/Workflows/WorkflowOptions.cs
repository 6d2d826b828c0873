using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>How runs, leases, confirmations and locks behave.</summary>
internal sealed class WorkflowOptions
{
    public const string SectionName = "Workflows";

    /// <summary>How long a run may take before it is stopped. <value>Default: 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a lease lasts without renewal; a running run renews it every third of this. <value>Default: 2 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running run's message is edited. <value>Default: 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a confirmation or approval stays open. <value>Default: 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long <c>/env lock</c> holds an environment. <value>Default: 8 hours.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a run that enabled servers waits for the load balancer to report them UP before the
    /// step fails. <value>Default: 30 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan LoadBalancerReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many output lines a run keeps. <value>Default: 20.</value></summary>
    [Range(1, 1000)]
    public int OutputTailLines { get; set; } = 20;
}

[OptionsValidator]
internal sealed partial class WorkflowOptionsValidator : IValidateOptions<WorkflowOptions>;
