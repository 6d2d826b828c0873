using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator;

/// <summary>The event store and where events are measured.</summary>
internal sealed class RadiatorOptions
{
    public const string SectionName = "Radiator";

    /// <summary>How long raw events are kept in the embedded store. <value>Default: 2 days.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// How long per-minute roll-ups are kept; at least 8 days so "same time last week" has data.
    /// <value>Default: 35 days.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "8.00:00:00", "3650.00:00:00")]
    public TimeSpan RollupRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>How often expired events and roll-ups are deleted. <value>Default: 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest body <c>POST /api/events</c> accepts. <value>Default: 16 MiB.</value></summary>
    [Range(1, 1L << 30)]
    public long MaxIngestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How far ahead of this host's clock an event's or alert's time may be: a sender's clock runs a
    /// little fast, but a time further ahead (year 9999) is a mistake that would otherwise be stored
    /// and shown as the newest thing forever. <value>Default: 5 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The Elasticsearch index (or pattern) holding events, when Elasticsearch is configured. <value>Default: <c>radiator-events</c>.</value></summary>
    [Required]
    public string EventIndex { get; set; } = "radiator-events";

    /// <summary>The event timestamp field in <see cref="EventIndex"/>. <value>Default: <c>timestamp</c>.</value></summary>
    [Required]
    public string TimestampField { get; set; } = "timestamp";

    /// <summary>The event key field (a keyword). <value>Default: <c>key</c>.</value></summary>
    [Required]
    public string KeyField { get; set; } = "key";

    /// <summary>The numeric value field. <value>Default: <c>value</c>.</value></summary>
    [Required]
    public string ValueField { get; set; } = "value";
}

[OptionsValidator]
internal sealed partial class RadiatorOptionsValidator : IValidateOptions<RadiatorOptions>;
