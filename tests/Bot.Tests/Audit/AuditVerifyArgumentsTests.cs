using ChatOps.Bot.Audit;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditVerifyArgumentsTests
{
    private static readonly string Hash = new('b', 64);

    [Fact]
    public void TryParseHeads_Heads_AreRead()
    {
        Assert.True(AuditVerifyArguments.TryParseHeads([$"12:{Hash}", $"3:{Hash.ToUpperInvariant()}"], out var heads, out _));

        Assert.Equal([new AuditHead(12, Hash), new AuditHead(3, Hash)], heads.Select(h => h.Head));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("0:bbbb")]
    [InlineData("12:")]
    public void TryParseHeads_BadHead_SaysWhatIsExpectedAndNamesIt(string head)
    {
        Assert.False(AuditVerifyArguments.TryParseHeads([$"1:{Hash}", head], out _, out var problem));

        Assert.Contains("--head needs count:hash", problem);
        Assert.Contains($"got '{head}'", problem);
    }

    [Fact]
    public void Describe_BrokenTrail_NamesRecordsKeyHeadAndResult()
    {
        var text = AuditVerifyArguments.Describe(new AuditVerification
        {
            Valid = false,
            Records = 4,
            FirstSeq = 1,
            LastSeq = 4,
            KeySource = "key file /srv/audit.key",
            HeadsCompared = 1,
            ComparedWith = $"7:{Hash} (given with --head)",
            BrokenAt = 5,
            Reason = "records were removed",
        });

        Assert.Contains("Checked 4 audit records (1 to 4).", text);
        Assert.Contains("Key: key file /srv/audit.key.", text);
        Assert.Contains($"compared with 1, the newest 7:{Hash} (given with --head)", text);
        Assert.Contains("Result: BROKEN at record 5: records were removed.", text);
    }
}
