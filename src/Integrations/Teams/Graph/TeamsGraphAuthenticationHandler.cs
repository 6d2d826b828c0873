using System.Net;
using System.Net.Http.Headers;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// Adds the Graph token to each request. A 401 means Graph no longer takes the kept token: it is dropped and the
/// request sent once more with a new one; a second 401 is the answer.
/// </summary>
internal sealed class TeamsGraphAuthenticationHandler(TeamsGraphToken token) : DelegatingHandler
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
