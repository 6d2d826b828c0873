using ChatOps.Bot.Audit;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditVerifyArgumentsTests
{
    private static readonly string Hash = new('b', 64);

    [Fact]
    public void TryParse_Heads_AreRead()
    {
        Assert.True(AuditVerifyArguments.TryParse(["--head", $"12:{Hash}", "--head", $"3:{Hash.ToUpperInvariant()}"], out var heads, out _));

        Assert.Equal([new AuditHead(12, Hash), new AuditHead(3, Hash)], heads.Select(h => h.Head));
    }

    [Theory]
    [InlineData("--head")]
    [InlineData("--head", "12")]
    [InlineData("--head", "0:bbbb")]
    [InlineData("--tail", "1")]
    public void TryParse_BadArguments_SayWhatIsExpected(params string[] args)
    {
        Assert.False(AuditVerifyArguments.TryParse(args, out _, out var problem));

        Assert.Contains("count:hash", problem);
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
