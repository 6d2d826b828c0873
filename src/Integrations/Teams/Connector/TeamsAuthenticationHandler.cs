using System.Net;
using System.Net.Http.Headers;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// Adds the app token of one scope to each request: the Connector's, or Microsoft Graph's. For the Connector it runs
/// inside the retry pipeline, so a repeated attempt carries the token of its own moment. A 401 means the service no
/// longer takes the kept token (revoked, or a rotated secret): it is dropped and the request sent once more with a new
/// one; a second 401 is the answer.
/// </summary>
internal sealed class TeamsAuthenticationHandler(TeamsAppToken token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var used = await token.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", used);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        token.Invalidate(used);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
