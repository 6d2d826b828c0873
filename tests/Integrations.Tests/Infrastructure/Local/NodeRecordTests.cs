using ChatOps.Integrations.Infrastructure.Local;

namespace ChatOps.Integrations.Tests.Infrastructure.Local;

public sealed class NodeRecordTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("chatops-record-").FullName, "web1");

    [Fact]
    public void Read_NothingWritten_ReturnsNull()
    {
        Assert.Null(NodeRecord.Read(_directory));
        Assert.Null(NodeRecord.ReadDeployedVersion(_directory));
    }

    [Fact]
    public void Write_ThenRead_ReturnsTheSameRecord()
    {
        var record = new NodeRecord(4242, 5101, "7", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

        record.Write(_directory);

        Assert.Equal(record, NodeRecord.Read(_directory));
    }

    [Fact]
    public void Write_OverAnOlderRecord_ReplacesItAndLeavesNoTemporaryFile()
    {
        new NodeRecord(1, 5101, "1", DateTimeOffset.UnixEpoch).Write(_directory);
        var newer = new NodeRecord(2, 5102, "2", DateTimeOffset.UnixEpoch.AddDays(1));

        newer.Write(_directory);

        Assert.Equal(newer, NodeRecord.Read(_directory));
        Assert.Equal(["node.json"], Directory.EnumerateFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Read_TornRecord_ReturnsNull()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "node.json"), "{\"ProcessId\":42,\"Po");

        Assert.Null(NodeRecord.Read(_directory));
    }

    [Fact]
    public void Delete_RecordAndVersion_KeepsTheDeployedVersion()
    {
        new NodeRecord(4242, 5101, "7", DateTimeOffset.UnixEpoch).Write(_directory);
        NodeRecord.WriteDeployedVersion(_directory, "7");

        NodeRecord.Delete(_directory);

        Assert.Null(NodeRecord.Read(_directory));
        Assert.Equal("7", NodeRecord.ReadDeployedVersion(_directory));
    }

    [Fact]
    public void ReadDeployedVersion_WrittenByHandWithANewline_IsTrimmed()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "version"), "2026.11.3\n");

        Assert.Equal("2026.11.3", NodeRecord.ReadDeployedVersion(_directory));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
}
