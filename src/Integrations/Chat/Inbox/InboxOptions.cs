using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// How the durable inbox between the platforms and the host's <see cref="IInboxHandler"/> behaves. The section keeps
/// its older name, <c>Inbound</c>, so existing configuration goes on working.
/// </summary>
public sealed class InboxOptions
{
    public const string SectionName = "Inbound";

    /// <summary>
    /// How many commands and button presses may wait or run at once; beyond it a platform hears
    /// 503 (or "busy") and retries. <value>Default: 1000.</value>
    /// </summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 1000;

    /// <summary>How many people's messages are handled at the same time. <value>Default: 8.</value></summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// How long a handled delivery id is remembered, so a platform's late retry of it is a no-op.
    /// Far longer than any platform retries. <value>Default: 7 days.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Accept and keep commands without handling them, e.g. while a maintenance window is open;
    /// they run in arrival order once the bot starts without it. <value>Default: false.</value>
    /// </summary>
    public bool Paused { get; set; }
}

[OptionsValidator]
internal sealed partial class InboxOptionsValidator : IValidateOptions<InboxOptions>;
