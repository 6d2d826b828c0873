using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Environments;

/// <summary>The <c>Environments</c> section: environment name → its options.</summary>
internal sealed class EnvironmentsOptions
{
    public const string SectionName = "Environments";

    public Dictionary<string, EnvironmentOptions> Environments { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Checks the environments at start, policies against the verbs the registered commands declare.</summary>
internal sealed class EnvironmentsOptionsValidator(VerbPolicies verbs) : IValidateOptions<EnvironmentsOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentsOptions options)
    {
        var failures = EnvironmentCatalog.Validate(options, verbs).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
