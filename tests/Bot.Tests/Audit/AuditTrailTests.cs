using ChatOps.Bot.Audit;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditTrailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AppendThreeAsync(AuditTrail sut)
    {
        foreach (var action in new[] { "requested", "confirmed", "succeeded" })
        {
            await sut.AppendAsync(new AuditEntry("webchat:alice", "alice", action, "test", 1, "up"), Ct);
        }
    }

    private static Task ExecuteAsync(TestState state, string sql, params (string, object?)[] parameters) =>
        state.Database.WriteAsync((c, t) => c.ExecuteAsync(sql, t, Ct, parameters), Ct);

    /// <summary>What someone who can write the database but lacks the key does after an edit: recompute every hash and the head.</summary>
    private static async Task RechainWithoutTheKeyAsync(TestState state, Func<AuditRecord, string> hash)
    {
        var records = await state.Audit.ListAsync(null, 0, 100, Ct);
        var prev = AuditRecord.GenesisHash;
        foreach (var record in records)
        {
            var rechained = record with { PrevHash = prev };
            var h = hash(rechained);
            await ExecuteAsync(state, "UPDATE audit SET prev_hash = @p, hash = @h WHERE seq = @s", ("@p", prev), ("@h", h), ("@s", record.Seq));
            prev = h;
        }

        await ExecuteAsync(state, "UPDATE audit_head SET hash = @h", ("@h", prev));
    }

    [Fact]
    public async Task VerifyAsync_UntouchedTrail_IsValidAndNamesWhatItChecked()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.True(result.Valid);
        Assert.Equal(3, result.Records);
        Assert.Equal(1, result.FirstSeq);
        Assert.Equal(3, result.LastSeq);
        Assert.Equal("Audit:Key (test)", result.KeySource);
        Assert.Equal(0, result.HeadsCompared);
        Assert.Equal(3, result.Head!.Count);
    }

    [Fact]
    public async Task VerifyAsync_EditedRecord_NamesIt()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await ExecuteAsync(state, "UPDATE audit SET actor_name = 'mallory' WHERE seq = 2");

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(2, result.BrokenAt);
        Assert.Contains("changed", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_DeletedMiddleRecord_NamesTheGap()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await ExecuteAsync(state, "DELETE FROM audit WHERE seq = 2");

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(2, result.BrokenAt);
    }

    [Fact]
    public async Task VerifyAsync_DeletedNewestRecord_IsFound()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await ExecuteAsync(state, "DELETE FROM audit WHERE seq = 3");

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Contains("removed", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_EditRechainedWithPlainSha256_IsFound()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await ExecuteAsync(state, "UPDATE audit SET actor_name = 'mallory' WHERE seq = 2");
        await RechainWithoutTheKeyAsync(state, r => r.PlainHash());

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(1, result.BrokenAt);
        Assert.Contains("plain SHA-256 instead of the audit key", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_EditRechainedWithAnotherKey_IsFound()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await ExecuteAsync(state, "UPDATE audit SET detail = 'nothing happened' WHERE seq = 3");
        var guessed = AuditKey.FromText("a-key-the-attacker-made-up-0123456789", "guess");
        await RechainWithoutTheKeyAsync(state, r => r.ExpectedHash(guessed));

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(1, result.BrokenAt);
        Assert.Contains("keyed hash does not match", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_TruncatedWithTheHeadRewritten_IsFoundAgainstThePublishedHead()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        var published = (await state.Audit.VerifyAsync(Ct)).Head!;
        await state.AuditHeads.AppendAsync(published, state.Time.GetUtcNow(), Ct);
        var second = (await state.Audit.ListAsync(null, 1, 1, Ct)).Single();
        await ExecuteAsync(state, "DELETE FROM audit WHERE seq = 3");
        await ExecuteAsync(state, "UPDATE audit_head SET count = 2, hash = @h", ("@h", second.Hash));

        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains($"the head {published}", result.Reason);
        Assert.Contains("records were removed", result.Reason);
        Assert.Equal(1, result.HeadsCompared);
    }

    [Fact]
    public async Task VerifyAsync_EveryRowDeleted_IsValidAloneButFoundAgainstAPublishedHead()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        var published = (await state.Audit.VerifyAsync(Ct)).Head!;
        await ExecuteAsync(state, "DELETE FROM audit");
        await ExecuteAsync(state, "DELETE FROM audit_head");

        var alone = await state.Audit.VerifyAsync(Ct);
        var claimed = await state.Audit.VerifyAsync([new PublishedHead(published, "given with --head")], Ct);
        await state.AuditHeads.AppendAsync(published, state.Time.GetUtcNow(), Ct);
        var remembered = await state.Audit.VerifyAsync(Ct);

        Assert.True(alone.Valid);
        Assert.Equal(0, alone.HeadsCompared);
        Assert.False(claimed.Valid);
        Assert.Contains("the trail ends at record 0", claimed.Reason);
        Assert.Contains("given with --head", claimed.ComparedWith);
        Assert.False(remembered.Valid);
        Assert.Contains(state.AuditHeads.Path, remembered.ComparedWith);
    }

    [Fact]
    public async Task VerifyAsync_RecordRewrittenBeforeThePublishedHead_IsFound()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        var published = (await state.Audit.VerifyAsync(Ct)).Head!;

        // Same count, another hash: a trail rebuilt from scratch, even one keyed correctly, is not the trail that was published.
        var forged = new AuditHead(published.Count, new string('a', 64));
        var result = await state.Audit.VerifyAsync([new PublishedHead(forged, "given with --head")], Ct);

        Assert.False(result.Valid);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("is not the record of the published head", result.Reason);
    }

    [Fact]
    public async Task AppendAsync_ActorIdInAnotherCase_IsStoredCanonical()
    {
        await using var state = await TestState.CreateAsync();

        var record = await state.Audit.AppendAsync(new AuditEntry("webchat:ALICE", "ALICE", "locked", "test", null, ""), Ct);

        Assert.Equal("webchat:alice", record.ActorId);
        Assert.Equal("webchat:alice", (await state.Audit.ListAsync(null, 0, 1, Ct)).Single().ActorId);
    }

    [Fact]
    public async Task EnsureKeyedAsync_PlainChainFromBeforeKeys_IsRechainedOnceAndSaysSo()
    {
        await using var state = await TestState.CreateAsync();
        var plainHead = await WritePlainChainAsync(state, 3);

        await state.Audit.EnsureKeyedAsync(Ct);
        var result = await state.Audit.VerifyAsync(Ct);

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(4, result.Records);
        var keyed = (await state.Audit.ListAsync(null, 3, 1, Ct)).Single();
        Assert.Equal("audit-keyed", keyed.Action);
        Assert.Equal(AuditTrail.SystemActor, keyed.ActorId);
        Assert.Contains($"head {plainHead}", keyed.Detail);
        Assert.Contains("Audit:Key (test)", keyed.Detail);
    }

    [Fact]
    public async Task EnsureKeyedAsync_PlainChainAfterAHeadWasPublished_IsNotLaunderedAndStaysBroken()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await state.AuditHeads.AppendAsync((await state.Audit.VerifyAsync(Ct)).Head!, state.Time.GetUtcNow(), Ct);
        await ExecuteAsync(state, "UPDATE audit SET actor_name = 'mallory' WHERE seq = 2");
        await RechainWithoutTheKeyAsync(state, r => r.PlainHash());

        await state.Audit.EnsureKeyedAsync(Ct);
        var result = await state.Audit.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(1, result.BrokenAt);
        Assert.Contains("plain SHA-256", result.Reason);
        Assert.DoesNotContain(await state.Audit.ListAsync(null, 0, 100, Ct), r => r.Action == "audit-keyed");
    }

    /// <summary>A trail as written before the chain was keyed: plain SHA-256 links and the head to match.</summary>
    private static async Task<AuditHead> WritePlainChainAsync(TestState state, int count)
    {
        var prev = AuditRecord.GenesisHash;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(state.Time.GetUtcNow().ToUnixTimeMilliseconds());
        for (var seq = 1; seq <= count; seq++)
        {
            var entry = new AuditEntry("webchat:carol", "carol", "requested", "dev", seq, "up");
            var hash = AuditRecord.ComputePlainHash(seq, at, entry, prev);
            await ExecuteAsync(state,
                "INSERT INTO audit (seq, at, actor_id, actor_name, action, environment, run_id, detail, prev_hash, hash) VALUES (@s, @at, @aid, @an, @a, @e, @r, @d, @p, @h)",
                ("@s", seq), ("@at", at.ToUnixTimeMilliseconds()), ("@aid", entry.ActorId), ("@an", entry.ActorName), ("@a", entry.Action), ("@e", entry.Environment),
                ("@r", entry.RunId), ("@d", entry.Detail), ("@p", prev), ("@h", hash));
            prev = hash;
        }

        await ExecuteAsync(state, "INSERT INTO audit_head (id, count, hash) VALUES (1, @c, @h)", ("@c", count), ("@h", prev));
        return new AuditHead(count, prev);
    }
}
