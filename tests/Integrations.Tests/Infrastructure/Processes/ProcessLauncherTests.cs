using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.TestCommon;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Integrations.Tests.Infrastructure.Processes;

public sealed class ProcessLauncherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-proc-").FullName;

    [Fact]
    public async Task RunAsync_ArgumentsWithShellMetacharacters_ArePassedLiterally()
    {
        var marker = Path.Combine(_root, "pwned");
        string[] hostile = [$"$(touch {marker})", $"`touch {marker}`", $"a; touch {marker}", "*", "\"quoted\" 'single'", "two  spaces"];
        var lines = new List<string>();

        var result = await CreateSut().RunAsync(new ProcessSpec("printf", ["%s\\n", .. hostile]), TimeSpan.FromMinutes(1),
            l => { lock (lines) { lines.Add(l.Text); } }, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(hostile, lines);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ReturnsCodeAndLastLines()
    {
        var spec = new ProcessSpec("sh", ["-c", "seq 1 100; echo boom >&2; exit 3"]) { KeepLines = 4 };

        var result = await CreateSut().RunAsync(spec, TimeSpan.FromMinutes(1), null, TestContext.Current.CancellationToken);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(4, result.LastLines.Count);
        Assert.Contains("boom", result.LastLines);
        Assert.DoesNotContain("1", result.LastLines);
    }

    [Fact]
    public async Task RunAsync_EnvironmentAndWorkingDirectory_AreApplied()
    {
        var spec = new ProcessSpec("sh", ["-c", "echo \"$GREETING\"; pwd; echo \"${HOME:-unset}\""])
        {
            WorkingDirectory = _root,
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hello $USER", ["HOME"] = null },
        };

        var result = await CreateSut().RunAsync(spec, TimeSpan.FromMinutes(1), null, TestContext.Current.CancellationToken);

        Assert.Equal(["hello $USER", _root, "unset"], result.LastLines);
    }

    [Fact]
    public async Task Start_MissingProgram_ThrowsProgramNotFound()
    {
        var ex = await Assert.ThrowsAsync<ProgramNotFoundException>(() =>
            CreateSut().RunAsync(new ProcessSpec("no-such-program-xyz", []), TimeSpan.FromMinutes(1), null, TestContext.Current.CancellationToken));

        Assert.Contains("no-such-program-xyz", ex.Message);
    }

    [Fact]
    public async Task Start_MissingWorkingDirectory_ThrowsProcessException()
    {
        var spec = new ProcessSpec("true", []) { WorkingDirectory = Path.Combine(_root, "missing") };

        var ex = await Assert.ThrowsAsync<ProcessException>(() => CreateSut().RunAsync(spec, TimeSpan.FromMinutes(1), null, TestContext.Current.CancellationToken));

        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsChildOfChild()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // sh starts a second sh, which starts sleep and reports its pid: sleep is the child of a child.
        var spec = new ProcessSpec("sh", ["-c", "sh -c 'sleep 300 & echo grandchild $!; wait' & wait"]);

        var run = CreateSut().RunAsync(spec, TimeSpan.FromMinutes(5), l => OnGrandchild(l, grandchild), cts.Token);
        var pid = await Wait.ForAsync(grandchild.Task, "the grandchild to report its pid");
        Assert.True(ProcessTree.IsAlive(pid));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(run, "the cancelled run to end"));
        await AssertGoneAsync(pid);
    }

    [Fact]
    public async Task RunAsync_TimesOut_KillsTreeAndKeepsLastLines()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = new ProcessSpec("sh", ["-c", "echo starting; sh -c 'sleep 300 & echo grandchild $!; wait' & wait"]);

        var ex = await Assert.ThrowsAsync<ProcessTimedOutException>(() =>
            CreateSut().RunAsync(spec, TimeSpan.FromSeconds(2), l => OnGrandchild(l, grandchild), TestContext.Current.CancellationToken));

        Assert.Contains("starting", ex.LastLines);
        var pid = await Wait.ForAsync(grandchild.Task, "the grandchild to report its pid");
        await AssertGoneAsync(pid);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsOrphanedGrandchildThroughItsGroup()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // The subshell exits at once, so sleep is re-parented to init: only the process group still ties it to the run.
        var spec = new ProcessSpec("sh", ["-c", "(sleep 300 >/dev/null 2>&1 & echo grandchild $!); sleep 300"]);

        var run = CreateSut().RunAsync(spec, TimeSpan.FromMinutes(5), l => OnGrandchild(l, grandchild), cts.Token);
        var pid = await Wait.ForAsync(grandchild.Task, "the grandchild to report its pid");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(run, "the cancelled run to end"));
        await AssertGoneAsync(pid);
    }

    [Fact]
    public async Task DisposeAsync_StillRunning_KillsTree()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = CreateSut().Start(new ProcessSpec("sh", ["-c", "sh -c 'sleep 300 & echo grandchild $!; wait' & wait"]), l => OnGrandchild(l, grandchild));
        var pid = await Wait.ForAsync(grandchild.Task, "the grandchild to report its pid");

        await child.DisposeAsync();

        await AssertGoneAsync(pid);
        await AssertGoneAsync(child.Id);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ProcessLauncher CreateSut() => new(TimeProvider.System, NullLogger<ProcessLauncher>.Instance);

    private static void OnGrandchild(OutputLine line, TaskCompletionSource<int> pid)
    {
        if (line.Text.StartsWith("grandchild ", StringComparison.Ordinal))
        {
            pid.TrySetResult(int.Parse(line.Text["grandchild ".Length..]));
        }
    }

    /// <summary>SIGKILL is delivered at once, but reaping by init may lag a moment: poll, with a generous bound.</summary>
    private static async Task AssertGoneAsync(int pid)
    {
        await Wait.UntilAsync(() => !ProcessTree.IsAlive(pid), $"process {pid} to be gone");
    }
}
