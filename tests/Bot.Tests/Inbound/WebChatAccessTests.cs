using System.Net;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.WebChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>The web chat trusts typed names only on loopback; elsewhere it needs the access token.</summary>
public sealed class WebChatAccessTests
{
    private static async Task<int> InvokeAsync(string? token, string localAddress, string? bearer = null, string? query = null)
    {
        var sut = new WebChatAccess(Options.Create(new WebChatOptions { AccessToken = token }));
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        http.Connection.LocalIpAddress = IPAddress.Parse(localAddress);
        if (bearer is not null)
        {
            http.Request.Headers.Authorization = $"Bearer {bearer}";
        }

        if (query is not null)
        {
            http.Request.QueryString = new QueryString($"?token={query}");
        }

        var result = await sut.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(Results.Ok()));
        if (result is IResult response)
        {
            await response.ExecuteAsync(http);
        }

        return http.Response.StatusCode;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Loopback_IsTrustedWithoutToken(string address) =>
        Assert.Equal(StatusCodes.Status200OK, await InvokeAsync(token: null, address));

    [Fact]
    public async Task OtherAddress_WithoutConfiguredToken_IsForbidden() =>
        Assert.Equal(StatusCodes.Status403Forbidden, await InvokeAsync(token: null, "10.1.2.3"));

    [Theory]
    [InlineData(null, null)]
    [InlineData("wrong", null)]
    [InlineData(null, "wrong")]
    public async Task OtherAddress_WithoutTheRightToken_IsUnauthorized(string? bearer, string? query) =>
        Assert.Equal(StatusCodes.Status401Unauthorized, await InvokeAsync("s3cret", "10.1.2.3", bearer, query));

    [Theory]
    [InlineData("s3cret", null)]
    [InlineData(null, "s3cret")]
    public async Task OtherAddress_WithTheToken_IsServed(string? bearer, string? query) =>
        Assert.Equal(StatusCodes.Status200OK, await InvokeAsync("s3cret", "10.1.2.3", bearer, query));
}
