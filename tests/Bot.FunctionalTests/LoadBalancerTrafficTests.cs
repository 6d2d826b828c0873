using System.Net;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Traffic is the test: requests through the environment's real HAProxy front follow the weights
/// set from chat, and the sorry page replaces the nodes while it is on.
/// </summary>
public sealed class LoadBalancerTrafficTests : HostTest
{
    private const int Requests = 200;
    private readonly HttpClient _front = new();

    public override ValueTask InitializeAsync()
    {
        Assert.True(File.Exists("/usr/sbin/haproxy") || File.Exists("/usr/bin/haproxy"), "HAProxy is missing: eng/test.sh installs Debian's haproxy package.");
        return base.InitializeAsync();
    }

    public override ValueTask DisposeAsync()
    {
        _front.Dispose();
        return base.DisposeAsync();
    }

    private async Task<Dictionary<string, int>> SendAsync(Uri front)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await _front.GetAsync(front, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var key = response.StatusCode == HttpStatusCode.OK ? body.Split(',')[0].Replace("Hello from test/", "", StringComparison.Ordinal) : $"{(int)response.StatusCode}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private async Task ConfirmAsync(string user, string text)
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync(user, text), m => m.Buttons.Count > 0);
        await Chat.PressAsync(user, prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.StartsWith('✅')));
    }

    [Fact]
    public async Task Weights_AndSorryPage_ShapeRealTraffic()
    {
        var up = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
        Assert.Contains("Update the load balancer — +web1 +web2 behind http://127.0.0.1:", up.Text);
        var environment = await Chat.GetJsonAsync("/api/environments/test");
        var front = new Uri(environment.GetProperty("loadBalancer").GetProperty("url").GetString()!);
        Assert.Equal(["web1", "web2"], environment.GetProperty("loadBalancer").GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var even = await SendAsync(front);
        Assert.Equal(Requests, even.GetValueOrDefault("web1") + even.GetValueOrDefault("web2"));
        Assert.True(even.GetValueOrDefault("web1") > 0 && even.GetValueOrDefault("web2") > 0, $"both nodes serve: {string.Join(", ", even)}");

        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env balance test web1=80 web2=20"), m => m.Buttons.Count > 0);
        Assert.Contains("Weights: web1 100 → 80, web2 100 → 20.", prompt.Text);
        await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.StartsWith('✅')));
        var weighted = await SendAsync(front);
        Assert.True(weighted.GetValueOrDefault("web1") > weighted.GetValueOrDefault("web2") && weighted.GetValueOrDefault("web2") > 0, $"80/20: {string.Join(", ", weighted)}");

        await ConfirmAsync("carol", "/env balance test web1=100 web2=0");
        Assert.Equal(Requests, (await SendAsync(front)).GetValueOrDefault("web1"));

        await ConfirmAsync("carol", "/env sorry test on message=\"Back at nine, promise\"");
        using (var sorry = await _front.GetAsync(front, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, sorry.StatusCode);
            Assert.Contains("Back at nine, promise", await sorry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var status = await Chat.GetJsonAsync("/api/environments/test");
        Assert.True(status.GetProperty("loadBalancer").GetProperty("sorry").GetBoolean());

        await ConfirmAsync("carol", "/env sorry test off");
        Assert.Equal(Requests, (await SendAsync(front)).GetValueOrDefault("web1"));
    }

    [Fact]
    public async Task Up_AfterTheNodesDied_TrafficReachesEveryNodeRightAfterIsUp()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
        var front = new Uri((await Chat.GetJsonAsync("/api/environments/test")).GetProperty("loadBalancer").GetProperty("url").GetString()!);

        // The nodes die outside any run; HAProxy marks their servers DOWN and keeps them.
        foreach (var (pid, _, _) in ProcessScanner.Nodes(Factory.NodesRoot))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        await WaitForServersAsync("DOWN");

        var asked = await Chat.SayAsync("carol", "/env up test");
        await Chat.BotReplyAsync(asked, m => m.Text.Contains("*test* is up"));
        var counts = await SendAsync(front);

        Assert.True(counts.GetValueOrDefault("web1") > 0 && counts.GetValueOrDefault("web2") > 0, $"every node serves at once: {string.Join(", ", counts)}");
        Assert.Equal(Requests, counts.GetValueOrDefault("web1") + counts.GetValueOrDefault("web2"));
    }

    [Fact]
    public async Task SorryOff_ThenNodesDown_TheOutagePageForgetsTheOldMessage()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
        var front = new Uri((await Chat.GetJsonAsync("/api/environments/test")).GetProperty("loadBalancer").GetProperty("url").GetString()!);
        await ConfirmAsync("carol", "/env sorry test on message=\"Back at 9pm, sorry!\"");

        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env sorry test off"), m => m.Buttons.Count > 0);
        Assert.Contains("will say “We'll be right back.”", prompt.Text);
        Assert.Equal("primary", prompt.Buttons.Single(b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal)).Style, ignoreCase: true);
        await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.StartsWith('✅')));
        await ConfirmAsync("carol", "/env halt test");

        using var outage = await _front.GetAsync(front, TestContext.Current.CancellationToken);
        var page = await outage.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Contains("We&#39;ll be right back.", page);
        Assert.DoesNotContain("Back at 9pm", page);
    }

    [Fact]
    public async Task SorryOn_WithoutAMessage_TheConfirmationQuotesTheDefault()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));

        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env sorry test on"), m => m.Buttons.Count > 0);

        Assert.Contains("will answer 503 with “We'll be right back.”", prompt.Text);
        Assert.Equal("danger", prompt.Buttons.Single(b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal)).Style, ignoreCase: true);
    }

    private async Task WaitForServersAsync(string state)
    {
        var seen = "";
        await Wait.UntilAsync(
            async () =>
            {
                var servers = (await Chat.GetJsonAsync("/api/environments/test")).GetProperty("loadBalancer").GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ToList();
                seen = string.Join(", ", servers);
                return servers.Count > 0 && servers.All(s => s == state);
            },
            $"the servers all to become {state}",
            lastSeen: () => seen);
    }

    [Fact]
    public async Task Balance_UnknownServer_IsRefusedAndChangesNothing()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env balance test web3=50"), m => m.Text.Contains("no server"));

        Assert.Equal("*test* has no server `web3`. Servers: `web1`, `web2`.", reply.Text);
        Assert.Equal(["up"], (await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray().Select(r => r.GetProperty("verb").GetString()));
    }
}
