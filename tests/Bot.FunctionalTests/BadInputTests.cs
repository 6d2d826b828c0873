using System.Net;
using System.Net.Http.Json;
using System.Text;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Malformed, oversized or misaddressed requests get a specific 4xx and change nothing.</summary>
public sealed class BadInputTests : HostTest
{
    private HttpClient Http => Chat.Http;

    private async Task<(HttpStatusCode Status, string Body)> PostRawAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await Http.PostAsync(path, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("{\"channel\":\"ops\",\"user\":\"carol\",\"text\":", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("[1,2,3]", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("null", HttpStatusCode.BadRequest, "must be a JSON object")]
    [InlineData("{\"channel\":\"random\",\"user\":\"carol\",\"text\":\"hi\"}", HttpStatusCode.BadRequest, "There is no channel `random`")]
    [InlineData("{\"channel\":\"ops\",\"text\":\"hi\"}", HttpStatusCode.BadRequest, "`user` is required")]
    [InlineData("{\"channel\":\"ops\",\"user\":\"bad name!\",\"text\":\"hi\"}", HttpStatusCode.BadRequest, "`user` is required")]
    [InlineData("{\"channel\":\"ops\",\"user\":\"bot\",\"text\":\"hi\"}", HttpStatusCode.BadRequest, "the bot's own name")]
    [InlineData("{\"channel\":\"ops\",\"user\":\"carol\",\"text\":\"   \"}", HttpStatusCode.BadRequest, "must not be blank")]
    public async Task PostMessage_BadBody_IsRefusedSpecifically(string body, HttpStatusCode status, string expected)
    {
        var (actual, text) = await PostRawAsync("/api/chat/messages", body);

        Assert.Equal(status, actual);
        Assert.Contains(expected, text);
        Assert.Empty(await Factory.Chat.MessagesAsync());
    }

    [Theory]
    [InlineData("{\"channel\":\"ops\",\"user\":\"carol\",\"text\":\"help\",\"text\":\"/env lock dev\"}", "`text` more than once")]
    [InlineData("{\"channel\":\"ops\",\"user\":\"carol\",\"user\":\"alice\",\"text\":\"help\"}", "`user` more than once")]
    [InlineData("{\"channel\":\"ops\",\"user\":\"carol\",\"text\":\"help\",\"Text\":\"/env lock dev\"}", "`Text` more than once")]
    public async Task PostMessage_DuplicateKey_Is400NamingIt(string body, string expected)
    {
        var (status, text) = await PostRawAsync("/api/chat/messages", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, text);
        Assert.Empty(await Factory.Chat.MessagesAsync());
    }

    [Fact]
    public async Task PressAction_DuplicateKey_Is400NamingIt()
    {
        var (status, text) = await PostRawAsync("/api/chat/actions", "{\"channel\":\"ops\",\"user\":\"carol\",\"user\":\"bob\",\"messageId\":\"m1\",\"actionId\":\"confirm:1\"}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("`user` more than once", text);
    }

    [Theory]
    [InlineData("alice\\n")]
    [InlineData("alice\\r\\n")]
    [InlineData("\\nalice")]
    public async Task PostMessage_UserWithNewline_IsRefused(string user)
    {
        var (status, text) = await PostRawAsync("/api/chat/messages", $"{{\"channel\":\"ops\",\"user\":\"{user}\",\"text\":\"help\"}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("`user` is required", text);
        Assert.Empty(await Factory.Chat.MessagesAsync());
    }

    [Fact]
    public async Task PostMessage_TextOver4KB_Is413()
    {
        var response = await Http.PostAsJsonAsync("/api/chat/messages", new { channel = "ops", user = "carol", text = new string('é', 2100) }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4200 bytes; at most 4096", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await Factory.Chat.MessagesAsync());
    }

    [Fact]
    public async Task PostMessage_HugeBody_Is413()
    {
        var (status, _) = await PostRawAsync("/api/chat/messages", "{\"text\":\"" + new string('a', 100_000) + "\"}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task PressAction_UnknownMessageOrButton_IsRefused()
    {
        var id = await Factory.Chat.SayAsync("carol", "hello");

        var (missing, _) = await PostRawAsync("/api/chat/actions", "{\"channel\":\"ops\",\"user\":\"carol\",\"messageId\":\"m999\",\"actionId\":\"confirm:1\"}");
        var (noButton, text) = await PostRawAsync("/api/chat/actions", $"{{\"channel\":\"ops\",\"user\":\"carol\",\"messageId\":\"{id}\",\"actionId\":\"confirm:1\"}}");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.Conflict, noButton);
        Assert.Contains("has no button `confirm:1`", text);
    }

    [Theory]
    [InlineData("/api/environments/staging", HttpStatusCode.NotFound)]
    [InlineData("/api/runs/42", HttpStatusCode.NotFound)]
    [InlineData("/api/runs?env=staging", HttpStatusCode.NotFound)]
    [InlineData("/api/runs?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/chat/channels/random/messages", HttpStatusCode.NotFound)]
    public async Task ReadApi_UnknownThings_Are4xx(string path, HttpStatusCode status)
    {
        var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsOkOnceReady()
    {
        var response = await Http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
