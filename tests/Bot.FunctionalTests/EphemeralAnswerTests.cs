using System.Net;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Help and refusals answer one person: the web chat lists and streams them to the person who asked alone.
/// Answers others need (<c>/env status</c>) stay with the channel.
/// </summary>
public sealed class EphemeralAnswerTests : HostTest
{
    [Fact]
    public async Task Help_IsListedToTheAskerAlone()
    {
        var asked = await Chat.SayAsync("alice", "help");

        var help = await Chat.BotReplyAsync(asked);

        Assert.Contains("/env up", help.Text);
        Assert.Equal("alice", help.VisibleTo);
        Assert.Contains(await Chat.MessagesAsync(viewer: "ALICE"), m => m.Id == help.Id);
        Assert.DoesNotContain(await Chat.MessagesAsync(viewer: "bob"), m => m.Id == help.Id);
        Assert.DoesNotContain(await Chat.MessagesAsync(), m => m.Id == help.Id);
        // What alice typed is public, as in any chat: only the answer is hers.
        Assert.Contains(await Chat.MessagesAsync(viewer: "bob"), m => m.Id == asked);
    }

    [Theory]
    [InlineData("/env up prod", "needs the *ops* role")]
    [InlineData("/env halt staging", "There is no environment `staging`")]
    [InlineData("/env st test", "I don't know what `st")]
    [InlineData("tell me a joke", "Type `help`")]
    public async Task Refusal_IsListedToTheAskerAlone(string text, string expected)
    {
        var refusal = await Chat.BotReplyAsync(await Chat.SayAsync("carol", text));

        Assert.Contains(expected, refusal.Text);
        Assert.Equal("carol", refusal.VisibleTo);
        Assert.DoesNotContain(await Chat.MessagesAsync(viewer: "bob"), m => m.Id == refusal.Id);
    }

    [Fact]
    public async Task Status_StaysPublic()
    {
        var status = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env status test"));

        Assert.Contains("*test*", status.Text);
        Assert.Null(status.VisibleTo);
        Assert.Contains(await Chat.MessagesAsync(viewer: "bob"), m => m.Id == status.Id);
        Assert.Contains(await Chat.MessagesAsync(), m => m.Id == status.Id);
    }

    [Fact]
    public async Task Stream_CarriesHelpToTheAskerAlone_AndStatusToEveryone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var alice = await EventStream.OpenAsync(Chat.Http, "alice", ct);
        await using var bob = await EventStream.OpenAsync(Chat.Http, "bob", ct);

        await Chat.SayAsync("alice", "help");
        var help = await alice.NextAsync(m => m.User == "bot", "alice's help in alice's stream");
        Assert.Equal("alice", help.VisibleTo);

        // The feed keeps each subscriber's order: bob's stream had the help before the status if it had it at all.
        await Chat.SayAsync("bob", "/env status test");
        await bob.NextAsync(m => m.User == "bot" && m.Text.Contains("*test*"), "the status answer in bob's stream");
        Assert.DoesNotContain(bob.Seen, m => m.Id == help.Id);
        await alice.NextAsync(m => m.User == "bot" && m.Text.Contains("*test*"), "the status answer in alice's stream");
    }

    [Fact]
    public async Task PressRefused_IsSaidToThePresserAlone_InTheThread()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);
        Assert.Null(prompt.VisibleTo);

        await Chat.PressAsync("dave", prompt.Id, prompt.Action("confirm:"));

        var refusal = await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("Only carol")), viewer: "dave");
        Assert.Equal("dave", refusal.VisibleTo);
        Assert.Empty((await Chat.MessagesAsync(viewer: "carol")).Single(m => m.Id == prompt.Id).Replies);
    }

    [Fact]
    public async Task Press_OnAButtonOfAMessageMeantForSomeoneElse_IsAsIfItWereNotThere()
    {
        // Answers for one person may carry buttons ("did you mean"); only that person sees them to press.
        var store = Factory.Services.GetRequiredService<WebChatStore>();
        var message = await store.PostAsync("ops", "bot", new OutgoingMessage
        {
            Text = "Did you mean `status`?",
            Buttons = [new ChatButton("nothing:1", "status")],
            VisibleTo = "alice",
        }, threadOf: null, TestContext.Current.CancellationToken);

        var bobs = await Chat.PressAsync("bob", message.Id, "nothing:1");
        var alices = await Chat.PressAsync("alice", message.Id, "nothing:1");

        Assert.Equal(HttpStatusCode.NotFound, bobs.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, alices.StatusCode);
    }

    [Theory]
    [InlineData("/api/chat/channels/ops/messages?user=no%20spaces")]
    [InlineData("/api/chat/stream?user=no%20spaces")]
    public async Task ListOrStream_WithAMalformedUser_IsRefused(string path)
    {
        var response = await Chat.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("`user`", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The web chat's event stream read as one person's page reads it.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public List<ChatMessage> Seen { get; } = [];

        public static async Task<EventStream> OpenAsync(HttpClient http, string user, CancellationToken cancellationToken)
        {
            var response = await http.GetAsync($"/api/chat/stream?channel=ops&user={user}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
            await stream.NextEventAsync("ready", "the stream to start");
            return stream;
        }

        /// <summary>Reads messages until one satisfies <paramref name="find"/>; bounded so a silent stream fails instead of hanging.</summary>
        public async Task<ChatMessage> NextAsync(Func<ChatMessage, bool> find, string what)
        {
            while (true)
            {
                var data = await NextEventAsync("message", what);
                var message = JsonSerializer.Deserialize<ChatMessage>(data, Json)!;
                Seen.Add(message);
                if (find(message))
                {
                    return message;
                }
            }
        }

        private async Task<string> NextEventAsync(string name, string what)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TestCommon.Wait.DefaultBound);
            string? eventName = null;
            try
            {
                while (await _reader.ReadLineAsync(timeout.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        eventName = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
                    {
                        return line["data: ".Length..];
                    }
                }
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}; seen: {string.Join(" | ", Seen.Select(m => $"{m.User}: {m.Text}"))}");
            }

            Assert.Fail($"The stream ended while waiting for {what}.");
            return "";
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
