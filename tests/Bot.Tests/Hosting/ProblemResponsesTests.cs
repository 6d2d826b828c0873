using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests.Hosting;

/// <summary>Every error the host answers says what was wrong, as a ProblemDetails, on real Kestrel.</summary>
public sealed class ProblemResponsesTests : IAsyncLifetime
{
    private TestState _state = null!;
    private LoopbackApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        _app = await LoopbackApp.StartAsync(
            services => services.AddSingleton(_state.Database).AddProblemResponses(),
            app =>
            {
                app.UseProblemResponses();
                app.MapGet("/items", (int? limit) => Results.Ok(new { limit }));
                app.MapGet("/boom", IResult () => throw new InvalidOperationException("a bug"));
                app.MapGet("/own", () => Results.Problem(detail: "Said by the endpoint.", statusCode: StatusCodes.Status409Conflict));
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _state.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? Detail, string? ContentType)> GetAsync(string path)
    {
        using var response = await _app.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response.StatusCode, body.TryGetProperty("detail", out var detail) ? detail.GetString() : null, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_UnknownPath_Is404SayingNothingIsThere()
    {
        var (status, detail, type) = await GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("There is nothing at GET /nowhere.", detail);
        Assert.Equal("application/problem+json", type);
    }

    [Fact]
    public async Task Get_QueryValueThatDoesNotBind_Is400NamingTheParameterAndValue()
    {
        var (status, detail, _) = await GetAsync("/items?limit=abc");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"`limit` must be a whole number from {int.MinValue} to {int.MaxValue}, not \"abc\".", detail);
    }

    [Fact]
    public async Task Get_EndpointThrows_Is500SayingWhatIsNotKnown()
    {
        var (status, detail, _) = await GetAsync("/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("The request failed unexpectedly; whether any of it was saved is not known. The host's log has the details.", detail);
    }

    [Fact]
    public async Task Get_EndpointWritesItsOwnProblem_IsLeftAlone()
    {
        var (status, detail, _) = await GetAsync("/own");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Said by the endpoint.", detail);
    }
}
