using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Audit;

/// <summary>
/// The audit trail's key and where its head is published. The key never goes into the state
/// database: it comes from <see cref="Key"/> (an environment variable or user secret) or from
/// <see cref="KeyFile"/>, created at first start with owner-only permissions.
/// </summary>
internal sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// The HMAC key as text, at least 32 characters (<c>Audit__Key</c>). A secret: never put it in
    /// <c>appsettings/</c>. <value>Default: none, so <see cref="KeyFile"/> is used.</value>
    /// </summary>
    [MinLength(32)]
    public string? Key { get; set; }

    /// <summary>
    /// The key file used when <see cref="Key"/> is not set; relative paths are resolved against the
    /// content root. <value>Default: <c>audit.key</c> next to the state database's folder
    /// (<c>src/Bot/audit.key</c> beside <c>src/Bot/data/</c>), so copying the data folder does not copy the key.</value>
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Where every published head is remembered, outside the database. <value>Default: <c>audit-heads.log</c>
    /// beside the default key file.</value>
    /// </summary>
    public string? HeadFile { get; set; }

    /// <summary>
    /// The chat channel (<c>platform:channel</c>) the head is posted to, where anyone can later compare
    /// it; empty to publish to the log and the head file only. <value>Default: <c>webchat:ops</c>.</value>
    /// </summary>
    [RegularExpression(@"^$|^[^:\s]+:\S+$", ErrorMessage = "Audit:HeadChannel must be platform:channel, e.g. webchat:ops or slack:C0123, or empty.")]
    public string HeadChannel { get; set; } = "webchat:ops";

    /// <summary>How often the head is published when it has changed. <value>Default: 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromHours(1);
}

[OptionsValidator]
internal sealed partial class AuditOptionsValidator : IValidateOptions<AuditOptions>;
