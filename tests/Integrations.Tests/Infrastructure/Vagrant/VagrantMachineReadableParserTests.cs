using ChatOps.Integrations.Infrastructure.Vagrant;

namespace ChatOps.Integrations.Tests.Infrastructure.Vagrant;

public sealed class VagrantMachineReadableParserTests
{
    [Fact]
    public void ParseLine_EscapedCommasAndLineBreaks_Unescaped()
    {
        var record = VagrantMachineReadableParser.ParseLine("1732240841,web1,ui,detail,fine%!(VAGRANT_COMMA) but\\n    web1: rare");

        Assert.NotNull(record);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732240841), record.Timestamp);
        Assert.Equal("web1", record.Target);
        Assert.Equal("ui", record.Type);
        Assert.Equal(["detail", "fine, but\n    web1: rare"], record.Data);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Vagrant failed to initialize at a very early stage:")]
    [InlineData("not-a-time,web1,state,running")]
    [InlineData("1732240841,web1")]
    public void ParseLine_NotARecord_Null(string line)
    {
        Assert.Null(VagrantMachineReadableParser.ParseLine(line));
    }

    [Fact]
    public void Add_StatusTranscript_MachinesWithStateAndProvider()
    {
        var run = Replay("status-mixed.txt");

        Assert.Equal(
            [new VagrantMachine("web1", "running", "running", "virtualbox"), new VagrantMachine("web2", "poweroff", "poweroff", "virtualbox")],
            run.Machines);
        Assert.Null(run.Error);
    }

    [Fact]
    public void Add_NotCreatedTranscript_HumanStateKept()
    {
        var run = Replay("status-not-created.txt");

        Assert.All(run.Machines, m => Assert.Equal(("not_created", "not created"), (m.State, m.StateHuman)));
    }

    [Fact]
    public void Add_UpTranscript_UiMessagesBecomeLinesOthersDoNot()
    {
        var run = new VagrantRun();
        var lines = ReadTranscript("up-success.txt").Select(VagrantMachineReadableParser.ParseLine).OfType<VagrantRecord>().SelectMany(run.Add).ToList();

        Assert.Equal("Bringing machine 'web1' up with 'virtualbox' provider...", lines[0]);
        Assert.Contains("==> web1: Booting VM...", lines);
        Assert.Contains("    web1: VirtualBox! In most cases this is fine, but in rare cases it can", lines);
        Assert.DoesNotContain(lines, l => l.Contains("VAGRANT_COMMA", StringComparison.Ordinal) || l is "start" or "end");
        Assert.Null(run.Error);
    }

    [Fact]
    public void Add_ErrorExitTranscript_ErrorKindAndMessage()
    {
        var run = Replay("up-provider-unusable.txt");

        Assert.Equal("Vagrant::Errors::ProviderNotUsable", run.Error?.Kind);
        Assert.StartsWith("The provider 'virtualbox' that was requested to back the machine\n'web1'", run.Error?.Message);
    }

    internal static IEnumerable<string> ReadTranscript(string name) => File.ReadLines(Path.Combine(TranscriptDirectory(), name));

    internal static string TranscriptDirectory([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "transcripts");

    private static VagrantRun Replay(string name)
    {
        var run = new VagrantRun();
        foreach (var record in VagrantMachineReadableParser.Parse(ReadTranscript(name)))
        {
            run.Add(record);
        }

        return run;
    }
}
