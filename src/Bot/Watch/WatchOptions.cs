using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Watch;

/// <summary>How the bot watches the environments it believes up, so drift outside a run is announced.</summary>
internal sealed class WatchOptions
{
    public const string SectionName = "Watch";

    /// <summary>How often each environment is observed (provider and load balancer). <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
internal sealed partial class WatchOptionsValidator : IValidateOptions<WatchOptions>;
