using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Deployments;

/// <summary>The deployment feed: where runs are posted and written, and which Elasticsearch deployments are watched.</summary>
public sealed class DeploymentOptions
{
    public const string SectionName = "Radiator:Deployments";

    /// <summary>Destinations as <c>platform:channel</c>. <value>Default: <c>webchat:deploys</c> (applied when the list is empty).</value></summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>The Elasticsearch index our runs are written to, when Elasticsearch is configured. <value>Default: <c>radiator-deployments</c>.</value></summary>
    [Required]
    public string Index { get; set; } = "radiator-deployments";

    /// <summary>An index (or pattern) of deployment events from elsewhere to post as well. <value>Default: none (not watched).</value></summary>
    public string? WatchIndex { get; set; }

    /// <summary>A query-string selecting deployment documents in <see cref="WatchIndex"/>. <value>Default: none (all).</value></summary>
    public string? WatchQuery { get; set; }

    /// <summary>How often <see cref="WatchIndex"/> is read. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back the very first watch looks. <value>Default: 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan WatchLookback { get; set; } = TimeSpan.FromHours(1);

    /// <value>Default: <c>@timestamp</c>.</value>
    [Required]
    public string TimestampField { get; set; } = "@timestamp";

    /// <summary>A unique keyword per document, the tail's tiebreaker. <value>Default: <c>id</c>.</value></summary>
    [Required]
    public string IdField { get; set; } = "id";

    /// <value>Default: <c>who</c>.</value>
    public string WhoField { get; set; } = "who";

    /// <value>Default: <c>environment</c>.</value>
    public string EnvironmentField { get; set; } = "environment";

    /// <value>Default: <c>verb</c>.</value>
    public string VerbField { get; set; } = "verb";

    /// <value>Default: <c>version</c>.</value>
    public string VersionField { get; set; } = "version";

    /// <value>Default: <c>result</c>.</value>
    public string ResultField { get; set; } = "result";

    /// <summary>Milliseconds. <value>Default: <c>duration_ms</c>.</value></summary>
    public string DurationField { get; set; } = "duration_ms";

    internal static readonly string DefaultChannel = "webchat:deploys";
}

[OptionsValidator]
internal sealed partial class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>;
