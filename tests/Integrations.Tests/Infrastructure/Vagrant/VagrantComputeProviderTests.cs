using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.Vagrant;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Infrastructure.Vagrant;

/// <summary>
/// Runs the provider against a stand-in <c>vagrant</c> that replays recorded machine-readable
/// transcripts, so the real process handling, parsing and state checks are exercised.
/// </summary>
public sealed class VagrantComputeProviderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-vagrant-").FullName;
    private readonly string _machines;
    private readonly Dictionary<string, string?> _config = [];
    private ServiceProvider? _services;

    public VagrantComputeProviderTests()
    {
        _machines = Directory.CreateDirectory(Path.Combine(_root, "vagrant", "lab")).FullName;
        var fake = TestScripts.Write(Path.Combine(_root, "vagrant-replay"), """
            printf '%s\n' "$*" >> calls.log
            if [ -n "$APP_VERSION" ]; then echo "version=$APP_VERSION" >> calls.log; fi
            cat "$1.txt"
            if [ -f "$1.stderr" ]; then cat "$1.stderr" >&2; fi
            exit "$(cat "$1.exit" 2>/dev/null || echo 0)"
            """);
        _config["Vagrant:Executable"] = fake;
        _config["Environments:lab:Vagrant:Directory"] = "vagrant/lab";
    }

    [Fact]
    public async Task RunAsync_Up_StreamsVagrantMessagesAndChecksMachinesRun()
    {
        Replay("up", "up-success.txt");
        Replay("status", "status-running.txt");
        var progress = new RecordingProgress();

        await CreateSut().RunAsync(Op(InfraVerb.Up), progress, TestContext.Current.CancellationToken);

        Assert.Contains("==> web1: Booting VM...", progress.Output);
        // Twenty lines per window reach the thread; the rest is counted, not lost silently.
        Assert.Equal(21, progress.Output.Count);
        Assert.Matches("^… [0-9]+ lines not shown$", progress.Output[^1]);
        Assert.Equal(StepState.Succeeded, progress.LastState(0));
        Assert.Equal((1, StepState.Succeeded, "web1 running, web2 running"), progress.Steps[^1]);
        Assert.Equal(["up --machine-readable", "status --machine-readable"], Calls());
    }

    [Fact]
    public async Task RunAsync_ErrorExit_FailsWithVagrantsReasonAndLastLines()
    {
        Replay("up", "up-provider-unusable.txt", exitCode: 1);
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), progress, TestContext.Current.CancellationToken));

        Assert.Equal("vagrant up failed: The provider 'virtualbox' that was requested to back the machine", ex.Message);
        Assert.Contains("run `VBoxManage --version` to see the error message which should contain", ex.LastOutput);
        Assert.Equal(StepState.Failed, progress.LastState(0));
        Assert.Equal(StepState.Skipped, progress.LastState(1));
    }

    [Fact]
    public async Task RunAsync_NonZeroExitWithoutErrorRecord_FailsWithExitCodeAndStderr()
    {
        Replay("halt", "halt.txt", exitCode: 2);
        File.WriteAllText(Path.Combine(_machines, "halt.stderr"), "An action 'halt' was attempted on the machine 'web1',\n");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Halt), new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Contains("exit code 2", ex.Message);
        Assert.Contains("An action 'halt' was attempted on the machine 'web1',", ex.LastOutput);
    }

    [Fact]
    public async Task RunAsync_UpButAMachineIsOff_CheckStepFailsNamingIt()
    {
        Replay("up", "up-success.txt");
        Replay("status", "status-mixed.txt");
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), progress, TestContext.Current.CancellationToken));

        Assert.Equal("After vagrant up, web2 is poweroff.", ex.Message);
        Assert.Equal((1, StepState.Failed, "web2 is poweroff"), progress.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_Destroy_ForcesAndChecksMachinesAreGone()
    {
        Replay("destroy", "destroy.txt");
        Replay("status", "status-not-created.txt");
        var progress = new RecordingProgress();

        await CreateSut().RunAsync(Op(InfraVerb.Destroy), progress, TestContext.Current.CancellationToken);

        Assert.Equal("destroy --force --machine-readable", Calls()[0]);
        Assert.Equal(StepState.Succeeded, progress.LastState(1));
    }

    [Fact]
    public async Task RunAsync_HaltWithSavedMachine_CountsAsStopped()
    {
        Replay("halt", "halt.txt");
        Replay("status", "status-poweroff.txt");

        await CreateSut().RunAsync(Op(InfraVerb.Halt), new RecordingProgress(), TestContext.Current.CancellationToken);

        Assert.Equal(["halt --machine-readable", "status --machine-readable"], Calls());
    }

    [Fact]
    public async Task RunAsync_ProvisionWithVersion_PassedAsVariableNotArgument()
    {
        Replay("provision", "provision.txt");
        var progress = new RecordingProgress();

        await CreateSut().RunAsync(new ProviderOperation(InfraVerb.Provision, new EnvironmentTarget("lab", []), "2.4.1; rm -rf /"), progress, TestContext.Current.CancellationToken);

        Assert.Equal(["provision --machine-readable", "version=2.4.1; rm -rf /"], Calls());
        Assert.Contains("    web2: Installing app 2.4.1", progress.Output);
        Assert.Single(CreateSut().Plan(Op(InfraVerb.Provision)));
    }

    [Theory]
    [InlineData("status-running.txt", ObservedState.Up, NodeHealth.Healthy, NodeHealth.Healthy)]
    [InlineData("status-mixed.txt", ObservedState.Partial, NodeHealth.Healthy, NodeHealth.Stopped)]
    [InlineData("status-poweroff.txt", ObservedState.Halted, NodeHealth.Stopped, NodeHealth.Stopped)]
    [InlineData("status-not-created.txt", ObservedState.Destroyed, NodeHealth.Stopped, NodeHealth.Stopped)]
    public async Task ObserveAsync_StatusTranscript_StatePerMachine(string transcript, ObservedState state, NodeHealth web1, NodeHealth web2)
    {
        Replay("status", transcript);

        var observation = await CreateSut().ObserveAsync(new EnvironmentTarget("lab", ["web1", "web2"]), TestContext.Current.CancellationToken);

        Assert.Equal(state, observation.State);
        Assert.Equal([new NodeObservation("web1", web1), new NodeObservation("web2", web2)], observation.Nodes);
    }

    [Fact]
    public async Task RunAsync_VagrantMissing_SaysHowToInstall()
    {
        _config["Vagrant:Executable"] = "vagrant-not-installed";

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.StartsWith("Vagrant is not installed", ex.Message);
    }

    [Fact]
    public async Task ObserveAsync_NoDirectoryConfigured_NamesTheSetting()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().ObserveAsync(new EnvironmentTarget("other", []), TestContext.Current.CancellationToken));

        Assert.Contains("Environments:other:Vagrant:Directory", ex.Message);
    }

    public void Dispose()
    {
        _services?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static ProviderOperation Op(InfraVerb verb) => new(verb, new EnvironmentTarget("lab", ["web1", "web2"]));

    private IComputeProvider CreateSut()
    {
        var services = new ServiceCollection();
        // A clock that stands still, so the output throttle's window never moves during a run.
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(_config).Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(_root));
        services.AddLogging();
        services.AddVagrantProvider();
        _services = services.BuildServiceProvider();
        return Assert.Single(_services.GetServices<IComputeProvider>(), p => p.Name == "Vagrant");
    }

    private void Replay(string verb, string transcript, int exitCode = 0)
    {
        File.Copy(Path.Combine(VagrantMachineReadableParserTests.TranscriptDirectory(), transcript), Path.Combine(_machines, verb + ".txt"), overwrite: true);
        File.WriteAllText(Path.Combine(_machines, verb + ".exit"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private string[] Calls() => File.ReadAllLines(Path.Combine(_machines, "calls.log"));
}
