using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>How the outbox paces, retries and merges outgoing messages.</summary>
internal sealed class ChatDeliveryOptions : IValidatableObject
{
    public const string SectionName = "ChatDelivery";

    /// <summary>
    /// Send rate per destination (platform and channel), keyed by platform name; platforms not listed use
    /// <see cref="DefaultLimit"/>. <value>Default: <c>webchat</c> unlimited; <c>slack</c> one per second with
    /// a burst of 3 (Slack allows about one message per second per channel); <c>discord</c> one per second
    /// with a burst of 5 (5 per 5 s per channel); <c>teams</c> one per 2 s with a burst of 7 (7 per second,
    /// 1,800 per hour per conversation).</value>
    /// </summary>
    public Dictionary<string, ChatRateLimit> Limits { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["webchat"] = new() { TokenInterval = TimeSpan.Zero, Burst = 1 },
        ["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 3 },
        ["discord"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 5 },
        ["teams"] = new() { TokenInterval = TimeSpan.FromSeconds(2), Burst = 7 },
    };

    /// <summary>The rate for platforms missing from <see cref="Limits"/>. <value>Default: one per second, no burst.</value></summary>
    [Required]
    public ChatRateLimit DefaultLimit { get; set; } = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 1 };

    /// <summary>
    /// When more than this many mergeable posts wait for a destination that has no send budget left,
    /// they are merged into one digest. <value>Default: 5.</value>
    /// </summary>
    [Range(1, 10_000)]
    public int DigestThreshold { get; set; } = 5;

    /// <summary>Most posts one digest represents; more start another digest. <value>Default: 200.</value></summary>
    [Range(2, 10_000)]
    public int MaxDigestItems { get; set; } = 200;

    /// <summary>How many items a digest lists line by line before "and N more". <value>Default: 10.</value></summary>
    [Range(1, 100)]
    public int DigestListedItems { get; set; } = 10;

    /// <summary>Longest line a digest shows per item (its first line, cut with "…"). <value>Default: 120.</value></summary>
    [Range(20, 1_000)]
    public int DigestLineLength { get; set; } = 120;

    /// <summary>Attempts before a message is marked failed for good. <value>Default: 8.</value></summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first transient failure; doubles per attempt. <value>Default: 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts. <value>Default: 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one send may take before it is cancelled and retried. <value>Default: 1 minute.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a claimed message belongs to the worker sending it. A process that dies mid-send
    /// leaves its claim; another sends the message again once the lease has passed. Must exceed
    /// <see cref="SendTimeout"/>. <value>Default: 2 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Longest sleep between rounds when nothing wakes the outbox's worker earlier (an enqueue does).
    /// <value>Default: 5 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest pause honoured for one Retry-After, here and in every replica (a platform asking for longer is asked
    /// again after this). <value>Default: 1 hour.</value>
    /// </summary>
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long delivered and failed rows are kept; their keys keep refusing duplicates for that long.
    /// <value>Default: 7 days.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public ChatRateLimit LimitFor(string platform) => Limits.TryGetValue(platform, out var limit) ? limit : DefaultLimit;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClaimLease <= SendTimeout)
        {
            yield return new($"ClaimLease ({ClaimLease}) must exceed SendTimeout ({SendTimeout}), or a slow send would be repeated.", [nameof(ClaimLease)]);
        }

        if (MaxBackoff < InitialBackoff)
        {
            yield return new($"MaxBackoff ({MaxBackoff}) must not be shorter than InitialBackoff ({InitialBackoff}).", [nameof(MaxBackoff)]);
        }

        if (DigestListedItems > MaxDigestItems)
        {
            yield return new($"DigestListedItems ({DigestListedItems}) must not exceed MaxDigestItems ({MaxDigestItems}).", [nameof(DigestListedItems)]);
        }

        if (MaxPause < TimeSpan.FromSeconds(1) || MaxPause > TimeSpan.FromDays(1))
        {
            yield return new($"MaxPause ({MaxPause}) must be between 00:00:01 and 1.00:00:00: it is the longest wait one platform's Retry-After imposes on every replica.", [nameof(MaxPause)]);
        }

        foreach (var (platform, limit) in Limits.Append(new("(default)", DefaultLimit)))
        {
            if (limit is null)
            {
                yield return new($"Limits:{platform} is empty.", [nameof(Limits)]);
                continue;
            }

            if (limit.TokenInterval < TimeSpan.Zero || limit.TokenInterval > TimeSpan.FromHours(1))
            {
                yield return new($"Limits:{platform}:TokenInterval ({limit.TokenInterval}) must be between 0 (unlimited) and 1 hour.", [nameof(Limits)]);
            }

            if (limit.Burst is < 1 or > 1_000)
            {
                yield return new($"Limits:{platform}:Burst ({limit.Burst}) must be between 1 and 1000.", [nameof(Limits)]);
            }
        }
    }
}

/// <summary>A token bucket: one send per <see cref="TokenInterval"/>, at most <see cref="Burst"/> at once.</summary>
internal sealed class ChatRateLimit
{
    /// <summary>Time that earns one send; zero means unlimited. <value>Default: 1 second.</value></summary>
    public TimeSpan TokenInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sends that may go at once after a quiet spell. <value>Default: 1.</value></summary>
    public int Burst { get; set; } = 1;
}

[OptionsValidator]
internal sealed partial class ChatDeliveryOptionsValidator : IValidateOptions<ChatDeliveryOptions>;
