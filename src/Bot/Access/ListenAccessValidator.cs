using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Access;

/// <summary>
/// A host that listens beyond loopback must have <c>WebChat:AccessToken</c>: there the typed name proves
/// nothing, and without a token the API would either be open or refuse everyone. Refusing to start says so
/// at once, rather than on the first request. Also checks <c>WebChat:AllowedHosts</c> entries.
/// </summary>
internal sealed class ListenAccessValidator(IConfiguration configuration) : IValidateOptions<WebChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var exposed = ListenAddresses.Configured(configuration).Where(ListenAddresses.IsBeyondLoopback).ToList();
        if (exposed.Count > 0 && string.IsNullOrWhiteSpace(options.AccessToken))
        {
            failures.Add($"WebChat:AccessToken is required because the host listens beyond loopback ({string.Join(", ", exposed)}). "
                + "Set it (environment variable WebChat__AccessToken), or listen on 127.0.0.1 only.");
        }

        failures.AddRange(options.AllowedHosts.Where(h => !AllowedHost.IsValid(h))
            .Select(h => $"WebChat:AllowedHosts: `{h}` is not a host name, or a host name and port (chatops.example.com, chatops.example.com:8443)."));
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
