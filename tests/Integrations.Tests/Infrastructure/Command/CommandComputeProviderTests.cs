using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.Command;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Infrastructure.Command;

public sealed class CommandComputeProviderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-cmd-").FullName;
    private readonly Dictionary<string, string?> _config = [];
    private ServiceProvider? _services;

    public CommandComputeProviderTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "infra"));
        // Prints each argument on its own line, the working directory and one variable: what the program really received.
        Script("infra/show.sh", """
            for a in "$@"; do echo "arg:$a"; done
            echo "pwd:$(pwd)"
            echo "tf:$TF_IN_AUTOMATION"
            """);
    }

    [Fact]
    public async Task RunAsync_Success_SubstitutesPlaceholdersPerArgumentAndStreamsOutput()
    {
        Configure("staging", InfraVerb.Provision, "./show.sh", ["apply", "-var", "env={env}", "-var", "version={version}", "$(touch pwned) {env}"],
            workingDirectory: "infra", variable: ("TF_IN_AUTOMATION", "1"));
        var progress = new RecordingProgress();
        var operation = new ProviderOperation(InfraVerb.Provision, new EnvironmentTarget("staging", ["web1"]), "1.2.3");

        await CreateSut().RunAsync(operation, progress, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["arg:apply", "arg:-var", "arg:env=staging", "arg:-var", "arg:version=1.2.3", "arg:$(touch pwned) staging", $"pwd:{Path.Combine(_root, "infra")}", "tf:1"],
            progress.Output);
        Assert.Equal([(0, StepState.Running, null), (0, StepState.Succeeded, null)], progress.Steps);
        Assert.False(File.Exists(Path.Combine(_root, "infra", "pwned")));
    }

    [Fact]
    public async Task RunAsync_NodePlaceholder_RunsOncePerNodeAsPlannedSteps()
    {
        Configure("test", InfraVerb.Up, "./show.sh", ["--limit", "{node}"], workingDirectory: "infra");
        var sut = CreateSut();
        var operation = new ProviderOperation(InfraVerb.Up, new EnvironmentTarget("test", ["web1", "web2"]));
        var progress = new RecordingProgress();

        var plan = sut.Plan(operation);
        await sut.RunAsync(operation, progress, TestContext.Current.CancellationToken);

        Assert.Equal(["web1: ./show.sh --limit", "web2: ./show.sh --limit"], plan);
        Assert.Equal(["arg:web1", "arg:web2"], progress.Output.Where(l => l.StartsWith("arg:w", StringComparison.Ordinal)));
        Assert.Equal(StepState.Succeeded, progress.LastState(1));
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_FailsWithLastLines()
    {
        Script("fail.sh", """
            for i in $(seq 1 50); do echo "line $i"; done
            echo "Error: quota exceeded" >&2
            exit 2
            """);
        Configure("staging", InfraVerb.Up, "./fail.sh", []);
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), progress, TestContext.Current.CancellationToken));

        Assert.Contains("exit code 2", ex.Message);
        // stdout and stderr are separate pipes: the error line is in the tail, not necessarily last.
        Assert.Contains("Error: quota exceeded", ex.LastOutput);
        Assert.Equal(30, ex.LastOutput.Count);
        Assert.DoesNotContain("line 1", ex.LastOutput);
        Assert.Equal((0, StepState.Failed, "exit code 2"), progress.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_Timeout_FailsWithLastLines()
    {
        Script("hang.sh", """
            echo "waiting for lock"
            sleep 300
            """);
        Configure("staging", InfraVerb.Halt, "./hang.sh", [], timeout: "00:00:01");
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Halt), progress, TestContext.Current.CancellationToken));

        Assert.Contains("did not finish", ex.Message);
        Assert.Contains("waiting for lock", ex.LastOutput);
        Assert.Equal((0, StepState.Failed, "timed out"), progress.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StepFailsAndCancellationPropagates()
    {
        Script("hang.sh", """
            echo "started"
            sleep 300
            """);
        Configure("staging", InfraVerb.Up, "./hang.sh", []);
        var progress = new RecordingProgress();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CreateSut().RunAsync(Op(InfraVerb.Up), progress, cts.Token);
        await Wait.UntilAsync(() => progress.Output.Contains("started"), "the script to start");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(run, "the cancelled run to end"));
        Assert.Equal((0, StepState.Failed, "cancelled"), progress.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_MissingProgram_FailsClearly()
    {
        Configure("staging", InfraVerb.Up, "terraform-not-installed", ["apply"]);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Contains("'terraform-not-installed' was not found", ex.Message);
    }

    [Fact]
    public async Task RunAsync_VerbNotConfigured_FailsNamingTheSetting()
    {
        Configure("staging", InfraVerb.Up, "./show.sh", []);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Destroy), new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Contains("Environments:staging:Command:Destroy", ex.Message);
    }

    [Theory]
    [InlineData(null, "needs a version")]
    [InlineData("--destroy", "may not start with '-'")]
    public async Task RunAsync_BadVersion_RefusedBeforeAnythingRuns(string? version, string reason)
    {
        Script("touch.sh", "touch ran");
        Configure("staging", InfraVerb.Provision, "./touch.sh", ["{version}"]);
        var operation = new ProviderOperation(InfraVerb.Provision, new EnvironmentTarget("staging", []), version);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(operation, new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Contains(reason, ex.Message);
        Assert.False(File.Exists(Path.Combine(_root, "ran")));
    }

    [Fact]
    public async Task RunAsync_InvalidSettings_FailsNamingTheProblem()
    {
        _config["Environments:staging:Command:Up:Arguments:0"] = "apply";

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CreateSut().RunAsync(Op(InfraVerb.Up), new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Contains("Program", ex.Message);
    }

    [Fact]
    public async Task RunAsync_ChattyProgram_ThreadOutputIsThrottled()
    {
        Script("chatty.sh", "seq 1 100");
        Configure("staging", InfraVerb.Up, "./chatty.sh", []);
        _config["Environments:staging:Command:OutputLinesPerInterval"] = "5";
        var progress = new RecordingProgress();

        await CreateSut(new FakeTimeProvider()).RunAsync(Op(InfraVerb.Up), progress, TestContext.Current.CancellationToken);

        Assert.Equal(["1", "2", "3", "4", "5", "… 95 lines not shown"], progress.Output);
    }

    [Theory]
    [InlineData(0, ObservedState.Up)]
    [InlineData(3, ObservedState.Halted)]
    [InlineData(4, ObservedState.Destroyed)]
    [InlineData(1, ObservedState.Unknown)]
    public async Task ObserveAsync_StatusExitCode_MapsToState(int exitCode, ObservedState expected)
    {
        Script("status.sh", $"exit {exitCode}");
        _config["Environments:staging:Command:Status:Program"] = "./status.sh";

        var observation = await CreateSut().ObserveAsync(new EnvironmentTarget("staging", ["web1"]), TestContext.Current.CancellationToken);

        Assert.Equal(expected, observation.State);
        Assert.Equal("web1", Assert.Single(observation.Nodes).Name);
    }

    [Fact]
    public async Task ObserveAsync_NoStatusCommand_Unknown()
    {
        Configure("staging", InfraVerb.Up, "./show.sh", []);

        var observation = await CreateSut().ObserveAsync(new EnvironmentTarget("staging", []), TestContext.Current.CancellationToken);

        Assert.Equal(ObservedState.Unknown, observation.State);
    }

    public void Dispose()
    {
        _services?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static ProviderOperation Op(InfraVerb verb) => new(verb, new EnvironmentTarget("staging", []));

    private IComputeProvider CreateSut(TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(_config).Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(_root));
        services.AddLogging();
        services.AddCommandProvider();
        _services = services.BuildServiceProvider();
        return Assert.Single(_services.GetServices<IComputeProvider>(), p => p.Name == "Command");
    }

    private void Configure(string environment, InfraVerb verb, string program, string[] arguments, string? workingDirectory = null, string? timeout = null, (string Name, string Value)? variable = null)
    {
        var prefix = $"Environments:{environment}:Command:{verb}";
        _config[$"{prefix}:Program"] = program;
        for (var i = 0; i < arguments.Length; i++)
        {
            _config[$"{prefix}:Arguments:{i}"] = arguments[i];
        }

        if (workingDirectory is not null)
        {
            _config[$"{prefix}:WorkingDirectory"] = workingDirectory;
        }

        if (timeout is not null)
        {
            _config[$"{prefix}:Timeout"] = timeout;
        }
        if (variable is { } v)
        {
            _config[$"{prefix}:Environment:{v.Name}"] = v.Value;
        }
    }

    private void Script(string relativePath, string body)
    {
        TestScripts.Write(Path.Combine(_root, relativePath), body);
    }
}
