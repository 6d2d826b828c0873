using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>A replica's name: unique among live replicas, free again once its holder is dead, and validated.</summary>
public sealed class ReplicaRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterAsync_NameOfALiveReplicaElsewhere_IsRefusedNamingTheHolder()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        // A live replica of another host holds the name.
        await harness.Database.WriteAsync((c, t) => ChatOps.Integrations.Storage.DbExtensions.ExecuteAsync(c,
            "INSERT INTO replicas (name, host, process_id, started_at, beat_at) VALUES ('web', 'other-host', 42, @now, @now)", t, Ct,
            ("@now", harness.Time.GetUtcNow().ToUnixTimeMilliseconds())), Ct);

        var refused = await Assert.ThrowsAsync<ReplicaNameInUseException>(() => harness.Create("web").Heartbeat.RegisterAsync(Ct));

        Assert.Contains("Replicas:Name 'web' is in use by a live replica (process 42 on other-host", refused.Message, StringComparison.Ordinal);
        var row = Assert.Single(await harness.Replicas.ListAsync(Ct));
        Assert.Equal("other-host", row.Host);
    }

    [Fact]
    public async Task RegisterAsync_NameOfADeadReplica_IsTakenOver()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        await harness.Database.WriteAsync((c, t) => ChatOps.Integrations.Storage.DbExtensions.ExecuteAsync(c,
            "INSERT INTO replicas (name, host, process_id, started_at, beat_at) VALUES ('web', 'other-host', 42, @now, @now)", t, Ct,
            ("@now", harness.Time.GetUtcNow().ToUnixTimeMilliseconds())), Ct);
        harness.Time.Advance(ReplicaHarness.Settings.DeadAfter + TimeSpan.FromSeconds(1));

        await harness.Create("web").Heartbeat.RegisterAsync(Ct);

        var row = Assert.Single(await harness.Replicas.ListAsync(Ct));
        Assert.Equal(Environment.ProcessId, row.ProcessId);
    }

    [Fact]
    public async Task RegisterAsync_ReplicaOfThisHostWhoseProcessIsGone_IsDeadAtOnce()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var self = harness.Create("restarted");
        // A process of this host that has exited: what a kill -9 just before this start leaves behind.
        using var exited = System.Diagnostics.Process.Start("true")!;
        await exited.WaitForExitAsync(Ct);
        await harness.Database.WriteAsync((c, t) => ChatOps.Integrations.Storage.DbExtensions.ExecuteAsync(c,
            "INSERT INTO replicas (name, host, process_id, started_at, beat_at) VALUES ('killed', @host, @pid, @now, @now), ('elsewhere', 'other-host', @pid, @now, @now)", t, Ct,
            ("@host", self.Identity.Host), ("@pid", (long)exited.Id), ("@now", harness.Time.GetUtcNow().ToUnixTimeMilliseconds())), Ct);

        await self.Heartbeat.RegisterAsync(Ct);

        var rows = (await harness.Replicas.ListAsync(Ct)).ToDictionary(r => r.Name);
        // Held dead (and so forgotten with the long-silent ones): no longer among the live.
        Assert.False(rows.TryGetValue("killed", out var killed) && killed.BeatAt > harness.Time.GetUtcNow() - ReplicaHarness.Settings.DeadAfter,
            "The replica whose process is gone still counts as alive.");
        // One on another host cannot be looked for: it stays alive until its heartbeat is old.
        Assert.Equal(harness.Time.GetUtcNow(), rows["elsewhere"].BeatAt);
    }

    [Theory]
    [InlineData("", "Replicas:Name is empty")]
    [InlineData("bad name", "Replicas:Name may hold only")]
    public void Validate_BadName_SaysWhatIsWrong(string name, string expected)
    {
        var failures = Validate(new ReplicaOptions { Name = name });

        Assert.Contains(failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DeadAfterShorterThanThreeHeartbeats_IsRefused()
    {
        var failures = Validate(new ReplicaOptions { HeartbeatInterval = TimeSpan.FromSeconds(5), DeadAfter = TimeSpan.FromSeconds(10) });

        Assert.Contains(failures, f => f.Contains("Replicas:DeadAfter (00:00:10) must be at least three heartbeats", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_AreAccepted()
    {
        Assert.Empty(Validate(new ReplicaOptions()));
        Assert.Matches(ReplicaOptions.NamePattern, ReplicaIdentity.DefaultName());
    }

    private static List<string> Validate(ReplicaOptions options)
    {
        IValidateOptions<ReplicaOptions>[] validators = [new ReplicaOptionsDataValidator(), new ReplicaOptionsValidator()];
        return [.. validators.Select(v => v.Validate(null, options)).Where(r => r.Failed).SelectMany(r => r.Failures ?? [])];
    }
}
