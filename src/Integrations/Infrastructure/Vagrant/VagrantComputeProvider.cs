using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Vagrant;

/// <summary>
/// Drives the <c>vagrant</c> CLI with <c>--machine-readable</c> in the environment's folder: the
/// verb runs first, then <c>vagrant status</c> checks every machine reached the state the verb
/// promises. Vagrant's own messages go to the run's thread; its <c>error-exit</c> becomes the reason.
/// </summary>
internal sealed class VagrantComputeProvider(
    IOptions<VagrantOptions> options,
    IOptionsMonitor<VagrantEnvironmentOptions> environments,
    ProcessLauncher launcher,
    IHostEnvironment host,
    TimeProvider timeProvider,
    ILogger<VagrantComputeProvider> logger) : IComputeProvider
{
    public const string ProviderName = "Vagrant";

    /// <summary>Lines of Vagrant's messages a failure carries.</summary>
    private const int KeepLines = 30;

    public string Name => ProviderName;

    public IReadOnlyList<string> Plan(ProviderOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Verb switch
        {
            InfraVerb.Up => ["vagrant up", "Check every machine is running"],
            InfraVerb.Provision => ["vagrant provision"],
            InfraVerb.Halt => ["vagrant halt", "Check every machine is stopped"],
            InfraVerb.Destroy => ["vagrant destroy", "Check every machine is gone"],
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Verb, "Unknown verb."),
        };
    }

    public async Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(progress);
        var plan = Plan(operation);
        var environment = operation.Environment.Name;
        progress.Step(0, StepState.Running);
        try
        {
            await RunVerbAsync(operation, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is ProviderException or OperationCanceledException)
        {
            progress.Step(0, StepState.Failed, ex is OperationCanceledException ? "cancelled" : ex.Message);
            for (var i = 1; i < plan.Count; i++)
            {
                progress.Step(i, StepState.Skipped);
            }

            throw;
        }

        progress.Step(0, StepState.Succeeded);
        if (plan.Count == 1)
        {
            return;
        }

        progress.Step(1, StepState.Running);
        var machines = await StatusAsync(environment, cancellationToken);
        var wrong = machines.Where(m => !Reached(operation.Verb, m.State)).ToList();
        if (wrong.Count > 0)
        {
            var detail = string.Join(", ", wrong.Select(m => $"{m.Name} is {m.StateHuman ?? m.State}"));
            progress.Step(1, StepState.Failed, detail);
            throw new ProviderException($"After vagrant {Verb(operation.Verb)}, {detail}.");
        }

        progress.Step(1, StepState.Succeeded, string.Join(", ", machines.Select(m => $"{m.Name} {m.StateHuman ?? m.State}")));
    }

    public async Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var machines = await StatusAsync(environment.Name, cancellationToken);
        var nodes = machines.Select(m => new NodeObservation(m.Name, Health(m.State))).ToList();
        var created = machines.Where(m => m.State != "not_created").ToList();
        var state = machines.Count == 0 ? ObservedState.Unknown
            : created.Count == 0 ? ObservedState.Destroyed
            : machines.All(m => m.State == "running") ? ObservedState.Up
            : created.Any(m => m.State == "running") ? ObservedState.Partial
            : created.All(m => Health(m.State) == NodeHealth.Stopped) ? ObservedState.Halted
            : ObservedState.Unknown;
        return new EnvironmentObservation(state, nodes);
    }

    /// <summary>Vagrant owns its machines; after a crash there is nothing of ours to adopt or stop, so this observes.</summary>
    public Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken) =>
        ObserveAsync(environment, cancellationToken);

    private async Task RunVerbAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var verb = Verb(operation.Verb);
        // destroy asks for confirmation unless forced, and machine-readable mode cannot answer it.
        string[] arguments = operation.Verb == InfraVerb.Destroy ? [verb, "--force", "--machine-readable"] : [verb, "--machine-readable"];
        var variables = new Dictionary<string, string?>();
        if (operation.Version is not null)
        {
            variables[settings.VersionVariable] = operation.Version;
        }

        var run = new VagrantRun();
        var tail = new OutputTail(KeepLines);
        var throttle = new OutputThrottle(progress.Output, timeProvider, settings.OutputLinesPerInterval, settings.OutputInterval);
        var result = await RunVagrantAsync(operation.Environment.Name, arguments, variables, settings.Timeout, run, line =>
        {
            tail.Add(line);
            throttle.Post(line);
        }, cancellationToken);
        throttle.Flush();

        if (run.Error is { } error)
        {
            Log.VagrantFailed(logger, verb, operation.Environment.Name, error.Kind);
            throw new ProviderException($"vagrant {verb} failed: {FirstLine(error.Message)}", tail.Snapshot());
        }

        if (!result.Succeeded)
        {
            Log.VagrantFailed(logger, verb, operation.Environment.Name, $"exit code {result.ExitCode}");
            throw new ProviderException($"vagrant {verb} failed with exit code {result.ExitCode}.", tail.Snapshot());
        }
    }

    private async Task<IReadOnlyList<VagrantMachine>> StatusAsync(string environment, CancellationToken cancellationToken)
    {
        var run = new VagrantRun();
        var tail = new OutputTail(KeepLines);
        var result = await RunVagrantAsync(environment, ["status", "--machine-readable"], new Dictionary<string, string?>(), options.Value.StatusTimeout, run, tail.Add, cancellationToken);
        if (run.Error is { } error)
        {
            throw new ProviderException($"vagrant status failed: {FirstLine(error.Message)}", tail.Snapshot());
        }

        if (!result.Succeeded)
        {
            throw new ProviderException($"vagrant status failed with exit code {result.ExitCode}.", tail.Snapshot());
        }

        return run.Machines;
    }

    /// <summary>Runs vagrant, turning each machine-readable line into records and each human line into output.</summary>
    private async Task<ProcessResult> RunVagrantAsync(string environment, string[] arguments, IReadOnlyDictionary<string, string?> variables, TimeSpan timeout, VagrantRun run, Action<string> output, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(options.Value.Executable, arguments)
        {
            WorkingDirectory = Directory(environment),
            Environment = variables,
            KeepLines = KeepLines,
        };
        Log.VagrantStarting(logger, arguments[0], environment);
        try
        {
            return await launcher.RunAsync(spec, timeout, line =>
            {
                var record = line.Stream == OutputStream.StandardOutput ? VagrantMachineReadableParser.ParseLine(line.Text) : null;
                var lines = record is null ? [line.Text] : run.Add(record);
                foreach (var text in lines)
                {
                    output(text);
                }
            }, cancellationToken);
        }
        catch (ProgramNotFoundException ex)
        {
            throw new ProviderException($"Vagrant is not installed or not on PATH ({ex.Message}): see https://developer.hashicorp.com/vagrant/install.", inner: ex);
        }
        catch (ProcessException ex)
        {
            throw new ProviderException(ex.Message, ex.LastLines, ex);
        }
    }

    private string Directory(string environment)
    {
        VagrantEnvironmentOptions settings;
        try
        {
            settings = environments.Get(environment);
        }
        catch (OptionsValidationException ex)
        {
            throw new ProviderException($"Environment '{environment}' needs Environments:{environment}:Vagrant:Directory (the folder of its Vagrantfile): {ex.Message}", inner: ex);
        }

        return Path.GetFullPath(settings.Directory, host.ContentRootPath);
    }

    private static bool Reached(InfraVerb verb, string state) => verb switch
    {
        InfraVerb.Up => state == "running",
        InfraVerb.Halt => state == "not_created" || Health(state) == NodeHealth.Stopped,
        InfraVerb.Destroy => state == "not_created",
        _ => true,
    };

    /// <summary>State ids across providers (VirtualBox, libvirt, Hyper-V, Docker): running is healthy, the resting ones are stopped.</summary>
    private static NodeHealth Health(string state) => state switch
    {
        "running" => NodeHealth.Healthy,
        "poweroff" or "saved" or "aborted" or "suspended" or "paused" or "shutoff" or "stopped" or "off" or "not_created" or "not_running" => NodeHealth.Stopped,
        _ => NodeHealth.Unknown,
    };

    private static string Verb(InfraVerb verb) => verb.ToString().ToLowerInvariant();

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
