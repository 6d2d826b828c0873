using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Teams;

/// <summary>
/// Refuses to start with a Teams registration that could never work, naming every problem at once: an app id that
/// is not a GUID, half a registration (an id without its password or tenant, or a password without an id), and
/// addresses the bot would send credentials or trust keys over in clear. Plain http is allowed only for loopback
/// addresses, so a local peer can stand in for the Bot Framework.
/// </summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Enabled)
        {
            if (!Guid.TryParse(options.AppId!.Trim(), out _))
            {
                failures.Add($"Teams:AppId must be the bot's Microsoft App ID, a GUID (Azure bot resource, Configuration); got '{options.AppId}'.");
            }

            if (string.IsNullOrWhiteSpace(options.AppPassword))
            {
                failures.Add("Teams:AppId is set but Teams:AppPassword is not: set Teams__AppPassword (the app registration's client secret) in the environment.");
            }

            if (string.IsNullOrWhiteSpace(options.TenantId))
            {
                failures.Add("Teams:AppId is set but Teams:TenantId is not: set Teams:TenantId to the directory (tenant) id of the single-tenant app registration.");
            }
            else if (!Guid.TryParse(options.TenantId.Trim(), out _))
            {
                failures.Add($"Teams:TenantId must be the directory (tenant) id, a GUID; got '{options.TenantId}'.");
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(options.AppPassword))
            {
                failures.Add("Teams:AppPassword is set but Teams:AppId is not: set Teams:AppId to the bot's Microsoft App ID, or unset the password.");
            }

            if (!string.IsNullOrWhiteSpace(options.TenantId))
            {
                failures.Add("Teams:TenantId is set but Teams:AppId is not: set Teams:AppId to the bot's Microsoft App ID, or unset the tenant.");
            }
        }

        CheckAddress(failures, "Teams:OpenIdMetadataUrl", options.OpenIdMetadataUrl, required: true);
        CheckAddress(failures, "Teams:TokenEndpoint", options.TokenEndpoint, required: false);
        CheckAddress(failures, "Teams:GraphBaseUrl", options.GraphBaseUrl, required: true);
        if (options.GraphBaseUrl is { IsAbsoluteUri: true } graph && (graph.Query.Length > 0 || graph.Fragment.Length > 0))
        {
            failures.Add($"Teams:GraphBaseUrl must be Graph's versioned root with no query or fragment, such as https://graph.microsoft.com/v1.0; got '{graph}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>True for an absolute https address, or an http one on a loopback host (a local stand-in).</summary>
    public static bool IsAcceptableAddress(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsAbsoluteUri
            && (address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback));
    }

    private static void CheckAddress(List<string> failures, string setting, Uri? address, bool required)
    {
        if (address is null)
        {
            if (required)
            {
                failures.Add($"{setting} must be set to an absolute https address.");
            }

            return;
        }

        if (!address.IsAbsoluteUri)
        {
            failures.Add($"{setting} must be an absolute https address; got '{address}'.");
        }
        else if (!IsAcceptableAddress(address))
        {
            failures.Add($"{setting} must use https (plain http only for a loopback address such as 127.0.0.1); got '{address}'.");
        }
    }
}
