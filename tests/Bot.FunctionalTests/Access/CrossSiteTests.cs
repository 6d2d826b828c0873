using System.Net;
using System.Net.Http.Json;
using System.Text;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>
/// A page on another origin cannot act through the browser: the web chat takes JSON only, a foreign Origin or
/// Sec-Fetch-Site is refused on anything that changes state, and ids on buttons cannot be guessed.
/// </summary>
public sealed class CrossSiteTests : HostTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => Chat.Http;

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json",
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task PostMessage_NotJson_Is415AndKeepsNothing(string contentType)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/chat/messages", """{"channel":"ops","user":"alice","text":"/env destroy prod"}""", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("Content-Type: application/json", body);
        Assert.Contains("\"status\":415", body);
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Fact]
    public async Task PressAction_NotJson_Is415()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/chat/actions", """{"channel":"ops","user":"bob","messageId":"m1","actionId":"approve:1"}""", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Theory]
    [InlineData("/api/chat/messages", """{"channel":"ops","user":"alice","text":"/env destroy prod"}""")]
    [InlineData("/api/chat/actions", """{"channel":"ops","user":"bob","messageId":"m1","actionId":"approve:1"}""")]
    [InlineData("/api/alerts", """{"fingerprint":"x","status":"firing","title":"forged"}""")]
    [InlineData("/api/events", """[{"key":"logins","value":1}]""")]
    [InlineData("/api/pulse", "")]
    public async Task Post_FromAnotherOrigin_Is403AndChangesNothing(string path, string body)
    {
        var (status, text) = await SendAsync(HttpMethod.Post, path, body, headers: ("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("http://evil.example", text);
        Assert.Contains("\"status\":403", text);
        Assert.Empty(await Chat.MessagesAsync());
        Assert.Empty((await Chat.GetJsonAsync("/api/alerts")).EnumerateArray());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://localhost:8080")]
    public async Task PostMessage_OriginNotThePagesOwn_Is403(string origin)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/chat/messages", """{"channel":"ops","user":"alice","text":"help"}""", headers: ("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task PostMessage_SecFetchSiteNotSameOrigin_Is403(string site)
    {
        var (status, text) = await SendAsync(HttpMethod.Post, "/api/chat/messages", """{"channel":"ops","user":"alice","text":"help"}""", headers: ("Sec-Fetch-Site", site));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains(site, text);
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Fact]
    public async Task PostMessage_FromThePagesOwnOrigin_IsAccepted()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/chat/messages", """{"channel":"ops","user":"alice","text":"help"}""",
            headers: [("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin")]);

        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    [Fact]
    public async Task Get_FromAnotherOrigin_IsServedBecauseTheBrowserKeepsTheAnswerFromThatPage()
    {
        var (status, _) = await SendAsync(HttpMethod.Get, "/api/chat/channels", headers: ("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task PressAction_GuessedSequentialMessageId_IsNotFoundAndRunsNothing()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);
        var confirm = prompt.Action("confirm:");
        var guessed = $"m{prompt.Seq}";
        var forged = $"m{prompt.Seq}-{new string('0', 24)}";

        var (bare, _) = await SendAsync(HttpMethod.Post, "/api/chat/actions", $$"""{"channel":"ops","user":"carol","messageId":"{{guessed}}","actionId":"{{confirm}}"}""");
        var (wrongTag, _) = await SendAsync(HttpMethod.Post, "/api/chat/actions", $$"""{"channel":"ops","user":"carol","messageId":"{{forged}}","actionId":"{{confirm}}"}""");

        Assert.Equal(HttpStatusCode.NotFound, bare);
        Assert.Equal(HttpStatusCode.NotFound, wrongTag);
        Assert.Equal("awaiting-confirmation", (await Chat.GetJsonAsync("/api/runs?env=dev"))[0].GetProperty("status").GetString());
        Assert.Matches("^m[0-9]+-[0-9a-f]{24}$", prompt.Id);
        Assert.Equal(HttpStatusCode.Accepted, (await Chat.PressAsync("carol", prompt.Id, confirm)).StatusCode);
    }

    [Fact]
    public async Task Image_GuessedSequentialMessageId_IsNotFound()
    {
        var id = await Chat.SayAsync("carol", "hello");

        var (status, _) = await SendAsync(HttpMethod.Get, $"/api/chat/messages/m{ChatApi.Seq(id)}/image");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task MessageIds_StayInPostingOrder()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await Http.PostAsJsonAsync("/api/chat/messages", new { channel = "pulse", user = "carol", text = $"note {i}" }, Ct);
            ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!);
        }

        Assert.Equal(ids, (await Chat.MessagesAsync("pulse")).Where(m => m.User == "carol").Select(m => m.Id));
        Assert.Equal(ids.Order(Comparer<string>.Create((a, b) => ChatApi.Seq(a).CompareTo(ChatApi.Seq(b)))), ids);
    }
}
