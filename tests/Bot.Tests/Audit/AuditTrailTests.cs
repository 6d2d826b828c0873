using ChatOps.Bot.Audit;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditTrailTests
{
    private static async Task AppendThreeAsync(AuditTrail sut)
    {
        foreach (var action in new[] { "requested", "confirmed", "succeeded" })
        {
            await sut.AppendAsync(new AuditEntry("webchat:alice", "alice", action, "test", 1, "up"), TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task VerifyAsync_UntouchedTrail_IsValid()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);

        var result = await state.Audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Valid);
        Assert.Equal(3, result.Records);
    }

    [Fact]
    public async Task VerifyAsync_EditedRecord_NamesIt()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await state.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE audit SET actor_name = 'mallory' WHERE seq = 2", t, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        var result = await state.Audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Valid);
        Assert.Equal(2, result.BrokenAt);
        Assert.Contains("changed", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_DeletedMiddleRecord_NamesTheGap()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await state.Database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM audit WHERE seq = 2", t, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        var result = await state.Audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Valid);
        Assert.Equal(2, result.BrokenAt);
    }

    [Fact]
    public async Task VerifyAsync_DeletedNewestRecord_IsFound()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        await state.Database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM audit WHERE seq = 3", t, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        var result = await state.Audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Valid);
        Assert.Contains("removed", result.Reason);
    }

    [Fact]
    public async Task VerifyAsync_RehashedEditedRecord_BreaksTheNextLink()
    {
        await using var state = await TestState.CreateAsync();
        await AppendThreeAsync(state.Audit);
        var second = (await state.Audit.ListAsync(null, 1, 1, TestContext.Current.CancellationToken)).Single();
        var forged = AuditRecord.ComputeHash(second.Seq, second.At, new AuditEntry(second.ActorId, "mallory", second.Action, second.Environment, second.RunId, second.Detail), second.PrevHash);
        await state.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE audit SET actor_name = 'mallory', hash = @h WHERE seq = 2", t, TestContext.Current.CancellationToken, ("@h", forged)), TestContext.Current.CancellationToken);

        var result = await state.Audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Valid);
        Assert.Equal(3, result.BrokenAt);
    }
}
