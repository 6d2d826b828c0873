using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The core flows through the real host and real node processes.</summary>
public sealed class ChatOpsFlowTests : HostTest
{
    [Fact]
    public async Task Up_ShowsOneProgressMessageEditedInPlace_AndNodesServe()
    {
        var asked = await Chat.SayAsync("carol", "/env up test");

        // The thread's output and the final edit are separate outbox rows; either may land first.
        var done = await Chat.BotReplyAsync(asked, m => m.Text.Contains("*test* is up") && m.Replies.Any(r => r.Text.Contains("web1: started process")));

        Assert.True(done.Version > 1, "the progress message is edited, not reposted");
        Assert.Single(await Chat.MessagesAsync(), m => m.User == "bot");
        var environment = await Chat.GetJsonAsync("/api/environments/test");
        Assert.Equal("up", environment.GetProperty("state").GetString());
        var nodes = environment.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["web1", "web2"], nodes.Select(n => n.GetProperty("name").GetString()));
        Assert.All(nodes, n => Assert.Equal("healthy", n.GetProperty("health").GetString()));
        using var direct = new HttpClient();
        var hello = await direct.GetStringAsync(nodes[0].GetProperty("url").GetString(), TestContext.Current.CancellationToken);
        Assert.Equal("Hello from test/web1, version initial\n", hello);
        Assert.Equal(2, ProcessScanner.Nodes(Factory.NodesRoot).Count);
    }

    [Fact]
    public async Task Provision_DeploysVersionAndRestartsNodes()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));

        var asked = await Chat.SayAsync("carol", "deploy 2.1.0 to dev");
        await Chat.BotReplyAsync(asked, m => m.Text.Contains("runs version `2.1.0`"));

        var environment = await Chat.GetJsonAsync("/api/environments/dev");
        Assert.All(environment.GetProperty("nodes").EnumerateArray(), n => Assert.Equal("2.1.0", n.GetProperty("version").GetString()));
        var runs = await Chat.GetJsonAsync("/api/runs?env=dev");
        Assert.Equal("provision", runs[0].GetProperty("verb").GetString());
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());
        Assert.Equal("carol", runs[0].GetProperty("requester").GetString());
    }

    [Fact]
    public async Task Halt_AsksFirst_RunsOnlyWhenTheRequesterConfirms()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));

        var asked = await Chat.SayAsync("carol", "@bot halt dev");
        var prompt = await Chat.BotReplyAsync(asked, m => m.Buttons.Count > 0);
        Assert.Contains("Will stop web1", prompt.Text);
        Assert.Equal(2, ProcessScanner.Nodes(Factory.NodesRoot).Count);

        // Someone else's press changes nothing and says why.
        await Chat.PressAsync("dave", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("Only carol")), viewer: "dave");
        Assert.Equal("awaiting-confirmation", (await Chat.GetJsonAsync("/api/runs?env=dev"))[0].GetProperty("status").GetString());

        await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        var done = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("is halted")));
        Assert.Empty(done.Buttons);
        Assert.Empty(ProcessScanner.Nodes(Factory.NodesRoot));

        // The same button again (a replay) is refused: the decision was answered once.
        var replay = await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Single((await Chat.GetJsonAsync("/api/runs?env=dev")).EnumerateArray(), r => r.GetProperty("verb").GetString() == "halt");
    }

    [Fact]
    public async Task Destroy_TypingTheEnvironmentName_Confirms()
    {
        var asked = await Chat.SayAsync("carol", "/env destroy test");
        var prompt = await Chat.BotReplyAsync(asked, m => m.Buttons.Count > 0);

        await Chat.SayAsync("carol", "test");

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("*test* is destroyed")));
        Assert.Equal("destroyed", (await Chat.GetJsonAsync("/api/environments/test")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Cancel_PressingCancelOnAConfirmation_RunsNothing()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);

        await Chat.PressAsync("carol", prompt.Id, prompt.Action("cancel:"));

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("cancelled by carol")));
        Assert.Equal("cancelled", (await Chat.GetJsonAsync("/api/runs?env=dev"))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task MissingEnvironment_IsAskedFor_AndTheAnswerCompletesTheCommand()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "please bring up"));
        Assert.Contains("Which environment", question.Text);

        var answer = await Chat.SayAsync("carol", "dev");

        await Chat.BotReplyAsync(answer, m => m.Text.Contains("*dev* is up"));
    }

    [Theory]
    [InlineData("/env up tset", "Did you mean `test`?")]
    [InlineData("/env halt staging", "There is no environment `staging`")]
    [InlineData("/env provison test", "Did you mean `provision`?")]
    [InlineData("tell me a joke", "Type `help`")]
    [InlineData("/env provision test version=$(touch /tmp/chatops-pwned)", "is not a version")]
    [InlineData("/env balance test web1=80 web2=20", "has no servers behind its load balancer yet")]
    [InlineData("/env sorry prod on", "needs the *ops* role")]
    public async Task BadCommands_GetASpecificAnswer_AndRunNothing(string text, string expected)
    {
        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", text));

        Assert.Contains(expected, reply.Text);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs")).EnumerateArray());
        Assert.False(File.Exists("/tmp/chatops-pwned"));
    }

    [Fact]
    public async Task Help_ListsVerbsWithUsage()
    {
        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "help"));

        Assert.Contains("`/env provision <env> [version=…]`", reply.Text);
        Assert.Contains("bring up test", reply.Text);
    }

    [Fact]
    public async Task History_ShowsWhoWhatWhenAndResult()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env history dev"), m => m.Text.StartsWith("Recent runs", StringComparison.Ordinal));

        Assert.Matches(@"run 1: carol — up, (just now|.* ago): succeeded in ", reply.Text);
    }

    [Fact]
    public async Task Status_NamesNodesUrlsAndLastRun()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env status dev"), m => m.Text.Contains("(Local provider)"));

        Assert.Matches(@"web1: healthy at http://127\.0\.0\.1:\d+/, version `initial`", reply.Text);
        Assert.Contains("Last run 1: carol — up, succeeded", reply.Text);
    }

    [Fact]
    public async Task Status_AfterARefusedRequest_SaysItChangedNothing()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("dave", "/env halt dev"), m => m.Buttons.Count > 0);
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env lock dev"), m => m.Text.Contains("is yours"));
        await Chat.PressAsync("dave", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("locked by carol", StringComparison.Ordinal)));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env status dev"), m => m.Text.Contains("(Local provider)"));

        Assert.StartsWith("*dev* is up", reply.Text, StringComparison.Ordinal);
        Assert.Matches(@"Last request 2: dave asked to halt, refused \(\*dev\* is locked by carol.*\), nothing changed", reply.Text);
    }

    [Fact]
    public async Task Up_WhenAlreadyUp_IsRefusedWithTheReason()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("already"));

        Assert.Contains("*dev* is already up", reply.Text);
    }

    [Fact]
    public async Task Commands_ForAutocomplete_ComeFromTheCatalog()
    {
        var commands = await Chat.GetJsonAsync("/api/chat/commands?user=carol");

        var usages = commands.EnumerateArray().Select(c => c.GetProperty("usage").GetString()).ToList();
        Assert.Contains("/env up <env>", usages);
        Assert.Contains("/env sorry <env> on|off [message=…]", usages);
    }

    [Fact]
    public async Task Messages_CarryVersionUpdatedAtAndButtons()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);

        var raw = await Chat.Http.GetFromJsonAsync<JsonElement>("/api/chat/channels/ops/messages", TestContext.Current.CancellationToken);
        var message = raw.EnumerateArray().Single(m => m.GetProperty("id").GetString() == prompt.Id);
        Assert.Equal(1, message.GetProperty("version").GetInt32());
        Assert.True(message.TryGetProperty("updatedAt", out _));
        Assert.Equal("Confirm", message.GetProperty("buttons")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Metrics_AreServedInPrometheusText()
    {
        var response = await Chat.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE chatops_outbox_depth gauge", body);
        Assert.Contains("chatops_inbox_waiting 0", body);
    }
}
