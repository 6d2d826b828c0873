using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Adds <c>Authorization: ApiKey …</c> or Basic credentials from configuration to every request.</summary>
public sealed class ElasticsearchAuthHandler(IOptions<ElasticsearchOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization ??= Header(options.Value);
        return base.SendAsync(request, cancellationToken);
    }

    internal static AuthenticationHeaderValue? Header(ElasticsearchOptions options)
    {
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            // Kibana shows the key already base64-encoded ("encoded" form), which is what the header takes.
            return new AuthenticationHeaderValue("ApiKey", options.ApiKey);
        }

        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            return new AuthenticationHeaderValue("Basic", credentials);
        }

        return null;
    }
}
