using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Adds <c>Authorization: ApiKey …</c> or Basic credentials from configuration to every request.</summary>
internal sealed class ElasticsearchAuthHandler(IOptions<ElasticsearchOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization ??= Header(options.Value);
        return base.SendAsync(request, cancellationToken);
    }

    internal static AuthenticationHeaderValue? Header(ElasticsearchOptions options)
    {
        if (options.ApiKey is { Length: > 0 } key)
        {
            // Kibana shows the "encoded" form, base64 of "id:api_key", which the header takes as is; the
            // create-API-key response also gives id and key apart, so "id:api_key" is encoded here
            // (base64 never contains ':', so the two forms cannot be confused).
            var encoded = key.Contains(':', StringComparison.Ordinal) ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key)) : key;
            return new AuthenticationHeaderValue("ApiKey", encoded);
        }

        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            return new AuthenticationHeaderValue("Basic", credentials);
        }

        return null;
    }
}
