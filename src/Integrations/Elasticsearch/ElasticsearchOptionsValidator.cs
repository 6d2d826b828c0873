using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// Checks the combinations that DataAnnotations cannot express, collecting every error so a bad
/// configuration is fixed in one go.
/// </summary>
internal sealed class ElasticsearchOptionsValidator : IValidateOptions<ElasticsearchOptions>
{
    public ValidateOptionsResult Validate(string? name, ElasticsearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"Elasticsearch:Url must be an absolute http or https address, not '{url}'.");
        }

        var hasUser = !string.IsNullOrEmpty(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasUser != hasPassword)
        {
            errors.Add("Elasticsearch:Username and Elasticsearch:Password must be set together.");
        }

        if (hasUser && !string.IsNullOrEmpty(options.ApiKey))
        {
            errors.Add("Set either Elasticsearch:ApiKey or Elasticsearch:Username/Password, not both.");
        }

        if (options.CertificateFingerprint is { Length: > 0 } fingerprint && CertificateFingerprint.TryParse(fingerprint) is null)
        {
            errors.Add("Elasticsearch:CertificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed.");
        }

        if (options.CaCertificatePath is { Length: > 0 } ca && !File.Exists(ca))
        {
            errors.Add($"Elasticsearch:CaCertificatePath '{ca}' does not exist.");
        }

        var usesTls = options.CertificateFingerprint is { Length: > 0 } || options.CaCertificatePath is { Length: > 0 };
        if (usesTls && options.Url is { Scheme: "http" })
        {
            errors.Add("A certificate fingerprint or CA file needs an https Elasticsearch:Url.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
