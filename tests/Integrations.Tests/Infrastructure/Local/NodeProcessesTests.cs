using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Infrastructure.Local;
using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Infrastructure.Local;

/// <summary>Starting, recognising and stopping real node processes.</summary>
public sealed class NodeProcessesTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly LocalNodes _nodes = new();

    [Fact]
    public async Task Start_Node_AnswersAsItsEnvironmentNodeAndVersionAndLogsBesideItself()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_nodes.Root, "test", "web1")).FullName;
        var port = NodeProcesses.FreeLoopbackPort();

        using var process = _nodes.Processes().Start("test", "web1", "7", port, directory);
        var identity = await HealthAsync(port);

        Assert.Equal(("test", "web1", "7"), ((string?)identity["environment"], (string?)identity["node"], (string?)identity["version"]));
        Assert.True(File.Exists(Path.Combine(directory, NodeProcesses.LogFileName)));
    }

    [Fact]
    public async Task IsNodeAndFindAll_RecogniseANodeByRootEnvironmentAndName()
    {
        var sut = _nodes.Processes();
        var port = NodeProcesses.FreeLoopbackPort();
        using var process = sut.Start("test", "web1", "7", port, Directory.CreateDirectory(Path.Combine(_nodes.Root, "test", "web1")).FullName);
        await HealthAsync(port);
        using var elsewhere = new LocalNodes();

        Assert.True(sut.IsNode(process.Id, "test", "web1"));
        Assert.True(sut.IsNode(process.Id, "test"));
        Assert.False(sut.IsNode(process.Id, "test", "web2"));
        Assert.False(sut.IsNode(process.Id, "dev"));
        Assert.False(elsewhere.Processes().IsNode(process.Id, "test"));
        Assert.Equal([(process.Id, "web1")], sut.FindAll("test"));
        Assert.Empty(sut.FindAll("dev"));
        Assert.Empty(elsewhere.Processes().FindAll("test"));
    }

    [Fact]
    public void IsNode_AProcessThatIsNoNode_IsNotOne()
    {
        Assert.False(_nodes.Processes().IsNode(Environment.ProcessId, "test"));
    }

    [Fact]
    public async Task StopAsync_RunningNode_StopsIt()
    {
        var port = NodeProcesses.FreeLoopbackPort();
        using var process = _nodes.Processes().Start("test", "web1", "7", port, Directory.CreateDirectory(Path.Combine(_nodes.Root, "test", "web1")).FullName);
        await HealthAsync(port);

        await Wait.ForAsync(NodeProcesses.StopAsync(process.Id, Ct), "the node to stop");

        Assert.False(ProcessTree.IsAlive(process.Id));
        Assert.Empty(_nodes.Processes().FindAll("test"));
    }

    [Fact]
    public async Task StopAsync_ProcessAlreadyGone_ReturnsQuietly()
    {
        using var gone = Process.Start("true")!;
        await Wait.ForExitAsync(gone, "a process that exits at once");

        await Wait.ForAsync(NodeProcesses.StopAsync(gone.Id, Ct), "stopping a process that is gone");
    }

    public void Dispose() => _nodes.Dispose();

    /// <summary>Waits (bounded) until the node on <paramref name="port"/> answers its health check, and returns what it said.</summary>
    private static async Task<JsonNode> HealthAsync(int port)
    {
        using var http = new HttpClient();
        return await Wait.ForAsync(
            async () =>
            {
                try
                {
                    return await http.GetFromJsonAsync<JsonNode>(new Uri($"http://127.0.0.1:{port}/healthz"), Ct);
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            },
            $"the node on port {port} to answer /healthz");
    }
}
