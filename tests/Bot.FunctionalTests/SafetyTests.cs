using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Who may do what, four-eyes approval, locks and the audit trail, refusals first.</summary>
public sealed class SafetyTests : HostTest
{
    // alice and bob hold ops in the embedded defaults; carol and dave are members.
    private async Task<List<string>> AuditActionsAsync(string env) =>
        (await Chat.GetJsonAsync($"/api/audit?env={env}")).EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToList();

    [Fact]
    public async Task MemberOnProd_IsDenied_AndTheDenialIsAudited()
    {
        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up prod"));

        Assert.Equal("`up` on *prod* needs the *ops* role, which you do not have.", reply.Text);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs?env=prod")).EnumerateArray());
        Assert.Contains("denied", await AuditActionsAsync("prod"));
    }

    [Fact]
    public async Task DestroyProd_NeedsASecondOpsMember_AndNeverSelfApproval()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env destroy prod"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("alice", prompt.Id, prompt.Action("confirm:"));
        var approval = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Buttons.Any(b => b.ActionId.StartsWith("approve:", StringComparison.Ordinal))));
        Assert.Contains("Another member of *ops* must approve", approval.Text);

        await Chat.PressAsync("alice", approval.Id, approval.Action("approve:"));
        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("cannot approve your own request")), viewer: "alice");
        await Chat.PressAsync("carol", approval.Id, approval.Action("approve:"));
        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("needs the *ops* role")), viewer: "carol");
        Assert.Equal("awaiting-approval", (await Chat.GetJsonAsync("/api/runs?env=prod"))[0].GetProperty("status").GetString());

        await Chat.PressAsync("bob", approval.Id, approval.Action("approve:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("*prod* is destroyed")));
        var actions = await AuditActionsAsync("prod");
        Assert.Equal(["requested", "confirmed", "decision-refused", "decision-refused", "approved", "started", "succeeded"], actions);
    }

    [Fact]
    public async Task DestroyProd_Approved_TheRecordNamesTheApprover()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env destroy prod"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("alice", prompt.Id, prompt.Action("confirm:"));
        var approval = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Buttons.Any(b => b.ActionId.StartsWith("approve:", StringComparison.Ordinal))));
        Assert.Contains("Another member of *ops* must approve within 5 minutes: bob.", approval.Text);

        await Chat.PressAsync("bob", approval.Id, approval.Action("approve:"));

        var done = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("*prod* is destroyed")));
        Assert.Contains(done.Context, c => c.Contains("requested by alice · approved by bob", StringComparison.Ordinal));
        var history = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env history prod"), m => m.Text.StartsWith("Recent runs", StringComparison.Ordinal));
        Assert.Contains("alice (approved by bob) — destroy", history.Text);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*prod*: destroy by alice (approved by bob) succeeded", StringComparison.Ordinal)), channel: "deploys");
        Assert.Equal("bob", (await Chat.GetJsonAsync("/api/runs?env=prod"))[0].GetProperty("approvedBy").GetString());
    }

    [Fact]
    public async Task SamePressTwice_RunsOnce_AndTheSecondSaysWhy()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);

        // A double click or a retried delivery: the second press arrives either while the first is
        // handled (the decision refuses it and says why) or after (the button is gone: 409).
        var first = await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        var second = await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, first.StatusCode);
        if (second.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("already confirmed")), viewer: "carol");
        }
        else
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, second.StatusCode);
        }

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("*dev* is destroyed")));
        Assert.Single((await Chat.GetJsonAsync("/api/runs?env=dev")).EnumerateArray());
        Assert.Single(await AuditActionsAsync("dev"), a => a == "started");
    }

    [Fact]
    public async Task Lock_IsRespected_ThenBrokenByOps_AndAudited()
    {
        var locked = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env lock test checking the new checkout"));
        Assert.StartsWith("🔒 *test* is yours", locked.Text);

        var refused = await Chat.BotReplyAsync(await Chat.SayAsync("dave", "/env up test"));
        Assert.Matches(@"\*test\* is locked by carol since .* ago: checking the new checkout", refused.Text);
        var notYours = await Chat.BotReplyAsync(await Chat.SayAsync("dave", "/env unlock test"));
        Assert.Contains("Only carol or a member of *ops* can unlock it", notYours.Text);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray());

        var broken = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env unlock test"));
        Assert.Equal("🔓 alice broke carol's lock on *test*.", broken.Text);
        await Chat.BotReplyAsync(await Chat.SayAsync("dave", "/env up test"), m => m.Text.Contains("*test* is up"));
        Assert.Equal(["locked", "lock-broken", "requested", "started", "succeeded"], (await AuditActionsAsync("test")).Where(a => a != "refused"));
    }

    [Fact]
    public async Task Lock_RefusesARiskyVerbBeforeAnyConfirmation()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env lock test checking the new checkout"), m => m.Text.Contains("is yours"));

        var asked = await Chat.SayAsync("dave", "/env halt test");
        var refused = await Chat.BotReplyAsync(asked);

        Assert.Matches(@"\*test\* is locked by carol since .* ago: checking the new checkout", refused.Text);
        Assert.DoesNotContain(await Chat.MessagesAsync(), m => m.Seq > ChatApi.Seq(asked) && (m.Buttons.Count > 0 || m.Text.Contains("confirm", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(["up"], (await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray().Select(r => r.GetProperty("verb").GetString()));
        Assert.Equal("refused", (await AuditActionsAsync("test"))[^1]);
    }

    [Fact]
    public async Task LockHolder_MayStillRun()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env lock dev"));

        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("*dev* is up"));
    }

    [Fact]
    public async Task DestroyProd_RequesterInAnotherCase_CannotApproveTheirOwnRequest()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env destroy prod"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("alice", prompt.Id, prompt.Action("confirm:"));
        var approval = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Buttons.Any(b => b.ActionId.StartsWith("approve:", StringComparison.Ordinal))));

        await Chat.PressAsync("ALICE", approval.Id, approval.Action("approve:"));

        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == prompt.Id).Replies.FirstOrDefault(r => r.Text.Contains("cannot approve your own request")), viewer: "alice");
        Assert.Equal("awaiting-approval", (await Chat.GetJsonAsync("/api/runs?env=prod"))[0].GetProperty("status").GetString());
        var actors = (await Chat.GetJsonAsync("/api/audit?env=prod")).EnumerateArray().Select(a => a.GetProperty("actorId").GetString()).Distinct();
        Assert.Equal(["webchat:alice"], actors);
    }

    [Fact]
    public async Task Lock_TakenByAlice_IsALICEsLockToo()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env lock test release check"), m => m.Text.Contains("is yours"));

        await Chat.BotReplyAsync(await Chat.SayAsync("ALICE", "/env up test"), m => m.Text.Contains("*test* is up"));
        var unlocked = await Chat.BotReplyAsync(await Chat.SayAsync("Alice", "/env unlock test"));

        Assert.Equal("🔓 *test* is unlocked.", unlocked.Text);
        var records = (await Chat.GetJsonAsync("/api/audit?env=test")).EnumerateArray().ToList();
        Assert.Equal(["locked", "requested", "started", "succeeded", "unlocked"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r => Assert.Equal("webchat:alice", r.GetProperty("actorId").GetString()));
    }

    [Fact]
    public async Task AuditVerify_NamesWhatItCheckedAndTheKeyFileIsOwnerOnly()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env lock dev"), m => m.Text.Contains("is yours"));

        var result = await Chat.GetJsonAsync("/api/audit/verify");

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(1, result.GetProperty("records").GetInt64());
        Assert.Equal(1, result.GetProperty("firstSeq").GetInt64());
        Assert.Equal(1, result.GetProperty("lastSeq").GetInt64());
        var keyFile = Path.Combine(Factory.Root, "audit.key");
        Assert.Equal($"key file {keyFile}", result.GetProperty("keySource").GetString());
        Assert.Equal(0, result.GetProperty("headsCompared").GetInt32());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public async Task AuditKey_IsNeverInTheDatabase()
    {
        const string key = "functional-audit-key-that-must-stay-outside-0123456789";
        await using var factory = new BotFactory(settings: new Dictionary<string, string?> { ["Audit:Key"] = key });
        var chat = factory.Chat;
        await chat.BotReplyAsync(await chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));
        var result = await chat.GetJsonAsync("/api/audit/verify");
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal("Audit:Key (configuration or environment)", result.GetProperty("keySource").GetString());
        var file = factory.Services.GetRequiredService<StateDatabase>().DataSource;

        // The database file and its write-ahead log, read while the host has them open.
        foreach (var part in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
        {
            using var stream = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);
            var bytes = copy.ToArray();
            Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)) >= 0, $"the key is in {part}");
        }
    }

    [Fact]
    public async Task AuditVerify_FindsATamperedRecord()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));
        var before = await Chat.GetJsonAsync("/api/audit/verify");
        Assert.True(before.GetProperty("valid").GetBoolean());

        var database = Factory.Services.GetRequiredService<StateDatabase>();
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE audit SET actor_name = 'mallory' WHERE seq = 2", t, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        var after = await Chat.GetJsonAsync("/api/audit/verify");
        Assert.False(after.GetProperty("valid").GetBoolean());
        Assert.Equal(2, after.GetProperty("brokenAt").GetInt64());
    }

    [Fact]
    public async Task Audit_ListsRequestDecisionAndResult()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("is destroyed")));

        var records = (await Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray().ToList();

        Assert.Equal(["requested", "confirmed", "started", "succeeded"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r => Assert.Equal(64, r.GetProperty("hash").GetString()!.Length));
    }
}
