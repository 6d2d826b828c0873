using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Environments;

/// <summary>The <c>Environments</c> section: environment name → its options.</summary>
public sealed class EnvironmentsOptions
{
    public const string SectionName = "Environments";

    public Dictionary<string, EnvironmentOptions> Environments { get; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class EnvironmentsOptionsValidator : IValidateOptions<EnvironmentsOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentsOptions options)
    {
        var failures = EnvironmentCatalog.Validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
