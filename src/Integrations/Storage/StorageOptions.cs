using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

/// <summary>Where state lives. The embedded default is a SQLite file under <c>data/</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// A SQLite connection string. <value>Default: <c>Data Source=data/chatops.db</c>, relative to the
    /// content root.</value>
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/chatops.db";
}

[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
