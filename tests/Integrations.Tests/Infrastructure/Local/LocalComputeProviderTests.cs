using System.Globalization;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.Local;
using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Infrastructure.Local;

/// <summary>The Local provider driving real node processes: up, provision, halt, destroy, observe and reconcile.</summary>
public sealed partial class LocalComputeProviderTests : IDisposable
{
    private static readonly EnvironmentTarget Test = new("test", ["web1", "web2"]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly LocalNodes _nodes = new();

    [Fact]
    public void Plan_EachVerb_NamesAStepPerNodeAndTheCheck()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);

        Assert.Equal(["Start web1", "Start web2", "Check health"], sut.Plan(new(InfraVerb.Up, Test)));
        Assert.Equal(["Deploy 7 to web1 and restart it", "Deploy 7 to web2 and restart it", "Check health"], sut.Plan(new(InfraVerb.Provision, Test, "7")));
        Assert.Equal(["Stop web1", "Stop web2"], sut.Plan(new(InfraVerb.Halt, Test)));
        Assert.Equal(["Stop web1", "Stop web2", "Remove working directories"], sut.Plan(new(InfraVerb.Destroy, Test)));
    }

    [Fact]
    public async Task RunAsync_Up_StartsEveryNodeHealthyOnTheInitialVersion()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        var progress = new RecordingProgress();

        await RunAsync(sut, new(InfraVerb.Up, Test), progress);
        var observed = await sut.ObserveAsync(Test, Ct);

        Assert.All([0, 1, 2], i => Assert.Equal(StepState.Succeeded, progress.LastState(i)));
        Assert.Equal(ObservedState.Up, observed.State);
        Assert.All(observed.Nodes, n => Assert.Equal((NodeHealth.Healthy, "initial"), (n.Health, n.Version)));
        Assert.Equal(observed.Nodes.Select(n => n.ProcessId), Test.Nodes.Select(n => (int?)NodeRecord.Read(NodeDirectory(n))!.ProcessId));
        Assert.Equal(2, observed.Nodes.Select(n => n.Url).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_UpAgain_LeavesHealthyNodesRunning()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        await RunAsync(sut, new(InfraVerb.Up, Test), new RecordingProgress());
        var before = ProcessIds(await sut.ObserveAsync(Test, Ct));
        var again = new RecordingProgress();

        await RunAsync(sut, new(InfraVerb.Up, Test), again);

        Assert.Equal(before, ProcessIds(await sut.ObserveAsync(Test, Ct)));
        Assert.All(again.Steps.Where(s => s.Index < 2 && s.State == StepState.Succeeded), s => Assert.StartsWith("already running on port", s.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ProvisionThenHaltThenUp_RestartsOnTheNewVersionAndKeepsIt()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        await RunAsync(sut, new(InfraVerb.Up, Test), new RecordingProgress());
        var initial = ProcessIds(await sut.ObserveAsync(Test, Ct));

        await RunAsync(sut, new(InfraVerb.Provision, Test, "7"), new RecordingProgress());
        var provisioned = await sut.ObserveAsync(Test, Ct);
        await RunAsync(sut, new(InfraVerb.Halt, Test), new RecordingProgress());
        var halted = await sut.ObserveAsync(Test, Ct);
        await RunAsync(sut, new(InfraVerb.Up, Test), new RecordingProgress());
        var upAgain = await sut.ObserveAsync(Test, Ct);

        Assert.All(provisioned.Nodes, n => Assert.Equal((NodeHealth.Healthy, "7"), (n.Health, n.Version)));
        Assert.Empty(ProcessIds(provisioned).Intersect(initial));
        Assert.All(initial, pid => Assert.False(ProcessTree.IsAlive(pid!.Value), $"process {pid} of the old version still runs"));
        Assert.Equal(ObservedState.Halted, halted.State);
        Assert.All(halted.Nodes, n => Assert.Equal((NodeHealth.Stopped, "7"), (n.Health, n.Version)));
        Assert.All(upAgain.Nodes, n => Assert.Equal((NodeHealth.Healthy, "7"), (n.Health, n.Version)));
    }

    [Fact]
    public async Task RunAsync_Halt_StopsTheProcessesAndForgetsTheirRecords()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        await RunAsync(sut, new(InfraVerb.Up, Test), new RecordingProgress());
        var running = ProcessIds(await sut.ObserveAsync(Test, Ct));
        var progress = new RecordingProgress();

        await RunAsync(sut, new(InfraVerb.Halt, Test), progress);

        Assert.All(running, pid => Assert.False(ProcessTree.IsAlive(pid!.Value), $"process {pid} still runs"));
        Assert.All(Test.Nodes, n => Assert.Null(NodeRecord.Read(NodeDirectory(n))));
        Assert.All(progress.Steps.Where(s => s.State == StepState.Succeeded), s => Assert.Equal("stopped", s.Detail));
    }

    [Fact]
    public async Task RunAsync_HaltWithNothingRunning_SaysSo()
    {
        using var services = _nodes.Services();
        var progress = new RecordingProgress();

        await RunAsync(LocalNodes.Provider(services), new(InfraVerb.Halt, Test), progress);

        Assert.All(progress.Steps.Where(s => s.State == StepState.Succeeded), s => Assert.Equal("was not running", s.Detail));
    }

    [Fact]
    public async Task RunAsync_Destroy_RemovesTheNodeDirectoriesAndReportsDestroyed()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        await RunAsync(sut, new(InfraVerb.Provision, Test, "7"), new RecordingProgress());

        await RunAsync(sut, new(InfraVerb.Destroy, Test), new RecordingProgress());
        var observed = await sut.ObserveAsync(Test, Ct);

        Assert.Equal(ObservedState.Destroyed, observed.State);
        Assert.All(Test.Nodes, n => Assert.False(Directory.Exists(NodeDirectory(n))));
        Assert.All(observed.Nodes, n => Assert.Equal((NodeHealth.Stopped, (string?)null), (n.Health, n.Version)));
        Assert.Empty(_nodes.Processes().FindAll("test"));
    }

    [Fact]
    public async Task ObserveAsync_NeverStarted_IsUnknown()
    {
        using var services = _nodes.Services();

        var observed = await LocalNodes.Provider(services).ObserveAsync(Test, Ct);

        Assert.Equal(ObservedState.Unknown, observed.State);
    }

    [Fact]
    public async Task RunAsync_NodeExitsBeforeItIsHealthy_FailsNamingItsExitCode()
    {
        using var services = _nodes.Services(new Dictionary<string, string?>
        {
            ["Local:NodeProgram"] = "sh",
            ["Local:NodeArguments:0"] = "-c",
            ["Local:NodeArguments:1"] = "exit 3",
        });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => RunAsync(LocalNodes.Provider(services), new(InfraVerb.Up, Test), new RecordingProgress()));

        Assert.Equal("web1 exited with code 3 before it answered its health check.", ex.Message);
    }

    [Fact]
    public async Task RunAsync_NodeSaysWhyAndExits_FailsQuotingItsLastOutput()
    {
        using var services = _nodes.Services(new Dictionary<string, string?>
        {
            ["Local:NodeProgram"] = "sh",
            ["Local:NodeArguments:0"] = "-c",
            ["Local:NodeArguments:1"] = "echo starting; echo 'cannot open /data: permission denied' >&2; exit 134",
        });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => RunAsync(LocalNodes.Provider(services), new(InfraVerb.Up, Test), new RecordingProgress()));

        Assert.Equal("web1 exited with code 134 before it answered its health check. Its last output: starting / cannot open /data: permission denied", ex.Message);
    }

    [Fact]
    public async Task RunAsync_NodeNeverAnswers_FailsAfterTheStartTimeoutAndStopsIt()
    {
        // A shell that stays up (the trailing ':' keeps it from exec'ing sleep) and so keeps the node's arguments on its command line.
        using var services = _nodes.Services(new Dictionary<string, string?>
        {
            ["Local:NodeProgram"] = "sh",
            ["Local:NodeArguments:0"] = "-c",
            ["Local:NodeArguments:1"] = "sleep 300; :",
            ["Local:StartTimeout"] = "00:00:01",
        });
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => RunAsync(LocalNodes.Provider(services), new(InfraVerb.Up, Test), progress));

        Assert.Equal("web1 did not answer its health check within 1 seconds.", ex.Message);
        var started = int.Parse(StartedProcess().Match(string.Join("\n", progress.Output)).Groups[1].Value, CultureInfo.InvariantCulture);
        await Wait.UntilAsync(() => !ProcessTree.IsAlive(started), $"the unanswering node (process {started}) to be stopped");
        Assert.Null(NodeRecord.Read(NodeDirectory("web1")));
    }

    [Fact]
    public async Task ReconcileAsync_NodeWhoseRecordWasLost_IsStoppedAsAnOrphan()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        await RunAsync(sut, new(InfraVerb.Up, Test), new RecordingProgress());
        var orphan = NodeRecord.Read(NodeDirectory("web1"))!.ProcessId;
        var kept = NodeRecord.Read(NodeDirectory("web2"))!.ProcessId;
        // What a crash between starting a node and writing its record leaves.
        NodeRecord.Delete(NodeDirectory("web1"));

        var reconciled = await sut.ReconcileAsync(Test, Ct);

        Assert.Equal([$"adopted web2 (process {kept}, healthy)", $"stopped orphaned web1 (process {orphan})"], reconciled.Actions);
        Assert.False(ProcessTree.IsAlive(orphan));
        Assert.True(ProcessTree.IsAlive(kept));
        Assert.Equal(ObservedState.Partial, reconciled.State);
    }

    [Fact]
    public async Task ReconcileAsync_RecordNamingAnotherProgram_IsDroppedAndThatProgramLeftAlone()
    {
        using var services = _nodes.Services();
        var sut = LocalNodes.Provider(services);
        // The record's process id now belongs to something else (here, the test runner itself).
        new NodeRecord(Environment.ProcessId, NodeProcesses.FreeLoopbackPort(), "7", TimeProvider.System.GetUtcNow()).Write(NodeDirectory("web1"));

        var reconciled = await sut.ReconcileAsync(Test, Ct);

        Assert.Empty(reconciled.Actions);
        Assert.Null(NodeRecord.Read(NodeDirectory("web1")));
        Assert.Equal(NodeHealth.Stopped, reconciled.Nodes.Single(n => n.Name == "web1").Health);
    }

    public void Dispose() => _nodes.Dispose();

    /// <summary>Runs an operation, bounded: real nodes start in seconds, and a hang must fail the test.</summary>
    private static Task RunAsync(LocalComputeProvider sut, ProviderOperation operation, RecordingProgress progress) =>
        Wait.ForAsync(sut.RunAsync(operation, progress, Ct), $"{operation.Verb} of {operation.Environment.Name}", within: TimeSpan.FromMinutes(1));

    private string NodeDirectory(string node) => Path.Combine(_nodes.Root, "test", node);

    private static List<int?> ProcessIds(EnvironmentObservation observation) => [.. observation.Nodes.Select(n => n.ProcessId)];

    [GeneratedRegex(@"started process (\d+)")]
    private static partial Regex StartedProcess();
}
