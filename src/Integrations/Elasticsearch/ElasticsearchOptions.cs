using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// Where Elasticsearch is and how to reach it. An empty <see cref="Url"/> means "not configured":
/// the radiator then uses its embedded event store instead.
/// </summary>
public sealed class ElasticsearchOptions
{
    public const string SectionName = "Elasticsearch";

    /// <summary>The cluster's base address. <value>Default: none (not configured).</value></summary>
    public Uri? Url { get; set; }

    /// <summary>An API key, sent as <c>Authorization: ApiKey …</c>. <value>Default: none.</value></summary>
    public string? ApiKey { get; set; }

    /// <summary>A user for basic authentication; needs <see cref="Password"/>. <value>Default: none.</value></summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>. <value>Default: none.</value></summary>
    public string? Password { get; set; }

    /// <summary>
    /// SHA-256 fingerprint (hex, colons allowed) of the server certificate or a CA in its chain, as
    /// Elasticsearch prints at first start. <value>Default: none (default validation).</value>
    /// </summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>A PEM or DER file holding the CA that signed the server certificate. <value>Default: none.</value></summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>How long one attempt may take before it counts as failed. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt on 429, 502, 503, 504 and connection failures. <value>Default: 3.</value></summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; later ones double, with jitter. <value>Default: 500 milliseconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for itself; a longer one is surfaced to the caller
    /// in <see cref="ElasticsearchException.RetryAfter"/>. <value>Default: 30 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when a cluster address is set.</summary>
    public bool IsConfigured => Url is not null;
}

[OptionsValidator]
internal sealed partial class ElasticsearchOptionsDataValidator : IValidateOptions<ElasticsearchOptions>;
