using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Local;

/// <summary>
/// Runs each node of an environment as a real process on this machine serving HTTP on its own
/// loopback port. The embedded default, and what the tests drive.
/// </summary>
internal sealed class LocalComputeProvider : IComputeProvider
{
    public const string ProviderName = "Local";
    internal const string HttpClientName = "local-nodes";

    private readonly LocalProviderOptions _options;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalComputeProvider> _logger;
    private readonly NodeProcesses _processes;

    public LocalComputeProvider(IOptions<LocalProviderOptions> options, IHostEnvironment host, IHttpClientFactory http, TimeProvider time, ILogger<LocalComputeProvider> logger)
    {
        _options = options.Value;
        _http = http;
        _time = time;
        _logger = logger;
        Root = Path.GetFullPath(Path.Combine(host.ContentRootPath, _options.DataDirectory));
        var program = _options.NodeProgram ?? throw new InvalidOperationException("Local:NodeProgram is not set: the host sets it to its own binary.");
        _processes = new NodeProcesses(program, _options.NodeArguments, Root);
    }

    public string Name => ProviderName;

    /// <summary>The absolute directory holding every environment's node directories.</summary>
    public string Root { get; }

    public IReadOnlyList<string> Plan(ProviderOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var nodes = operation.Environment.Nodes;
        return operation.Verb switch
        {
            InfraVerb.Up => [.. nodes.Select(n => $"Start {n}"), "Check health"],
            InfraVerb.Provision => [.. nodes.Select(n => $"Deploy {operation.Version} to {n} and restart it"), "Check health"],
            InfraVerb.Halt => [.. nodes.Select(n => $"Stop {n}")],
            InfraVerb.Destroy => [.. nodes.Select(n => $"Stop {n}"), "Remove working directories"],
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Verb, "Unknown verb."),
        };
    }

    public async Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(progress);
        var nodes = operation.Environment.Nodes;
        var env = operation.Environment.Name;
        switch (operation.Verb)
        {
            case InfraVerb.Up:
                for (var i = 0; i < nodes.Count; i++)
                {
                    progress.Step(i, StepState.Running);
                    var started = await EnsureRunningAsync(env, nodes[i], version: null, restart: false, progress, cancellationToken);
                    progress.Step(i, StepState.Succeeded, started);
                }

                await CheckHealthAsync(operation.Environment, nodes.Count, progress, cancellationToken);
                break;

            case InfraVerb.Provision:
                var version = operation.Version ?? throw new ProviderException("provision needs a version.");
                for (var i = 0; i < nodes.Count; i++)
                {
                    progress.Step(i, StepState.Running);
                    NodeRecord.WriteDeployedVersion(NodeDirectory(env, nodes[i]), version);
                    var started = await EnsureRunningAsync(env, nodes[i], version, restart: true, progress, cancellationToken);
                    progress.Step(i, StepState.Succeeded, started);
                }

                await CheckHealthAsync(operation.Environment, nodes.Count, progress, cancellationToken);
                break;

            case InfraVerb.Halt:
            case InfraVerb.Destroy:
                for (var i = 0; i < nodes.Count; i++)
                {
                    progress.Step(i, StepState.Running);
                    var stopped = await StopNodeAsync(env, nodes[i], cancellationToken);
                    progress.Step(i, StepState.Succeeded, stopped ? "stopped" : "was not running");
                }

                if (operation.Verb == InfraVerb.Destroy)
                {
                    progress.Step(nodes.Count, StepState.Running);
                    foreach (var node in nodes)
                    {
                        var directory = NodeDirectory(env, node);
                        if (Directory.Exists(directory))
                        {
                            Directory.Delete(directory, recursive: true);
                            progress.Output($"removed {directory}");
                        }
                    }

                    Directory.CreateDirectory(EnvironmentDirectory(env));
                    File.WriteAllText(Path.Combine(EnvironmentDirectory(env), "destroyed"), _time.GetUtcNow().ToString("O"));
                    progress.Step(nodes.Count, StepState.Succeeded);
                }

                break;
        }
    }

    public async Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var nodes = new List<NodeObservation>();
        foreach (var node in environment.Nodes)
        {
            nodes.Add(await ObserveNodeAsync(environment.Name, node, cancellationToken));
        }

        return new EnvironmentObservation(Summarize(environment.Name, nodes), nodes);
    }

    public async Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var actions = new List<string>();
        var known = new HashSet<int>();
        foreach (var node in environment.Nodes)
        {
            var directory = NodeDirectory(environment.Name, node);
            var record = NodeRecord.Read(directory);
            if (record is null)
            {
                continue;
            }

            if (!_processes.IsNode(record.ProcessId, environment.Name, node))
            {
                NodeRecord.Delete(directory);
                continue;
            }

            if (await ProbeAsync(record.Port, cancellationToken) is not null)
            {
                known.Add(record.ProcessId);
                actions.Add($"adopted {node} (process {record.ProcessId}, healthy)");
                continue;
            }

            await NodeProcesses.StopAsync(record.ProcessId, cancellationToken);
            NodeRecord.Delete(directory);
            actions.Add($"stopped {node} (process {record.ProcessId}, not healthy)");
        }

        foreach (var (pid, node) in _processes.FindAll(environment.Name).ToList())
        {
            if (!known.Contains(pid))
            {
                await NodeProcesses.StopAsync(pid, cancellationToken);
                actions.Add($"stopped orphaned {node ?? "node"} (process {pid})");
            }
        }

        foreach (var action in actions)
        {
            Log.Reconciled(_logger, environment.Name, action);
        }

        var observation = await ObserveAsync(environment, cancellationToken);
        return observation with { Actions = actions };
    }

    private async Task<string> EnsureRunningAsync(string env, string node, string? version, bool restart, IProviderProgress progress, CancellationToken cancellationToken)
    {
        var directory = NodeDirectory(env, node);
        var existing = NodeRecord.Read(directory);
        if (existing is not null && _processes.IsNode(existing.ProcessId, env, node))
        {
            if (!restart && await ProbeAsync(existing.Port, cancellationToken) is not null)
            {
                return $"already running on port {existing.Port}";
            }

            await NodeProcesses.StopAsync(existing.ProcessId, cancellationToken);
            progress.Output($"{node}: stopped process {existing.ProcessId}");
        }

        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(EnvironmentDirectory(env), "destroyed"));
        var deployed = version ?? NodeRecord.ReadDeployedVersion(directory) ?? _options.InitialVersion;
        NodeRecord.WriteDeployedVersion(directory, deployed);
        var port = NodeProcesses.FreeLoopbackPort();
        using var process = _processes.Start(env, node, deployed, port, directory);
        // Written before waiting for health, so a crash from here on still leaves the process findable.
        new NodeRecord(process.Id, port, deployed, _time.GetUtcNow()).Write(directory);
        progress.Output($"{node}: started process {process.Id} on port {port}, version {deployed}");
        Log.NodeStarted(_logger, env, node, process.Id, port, deployed);

        using var timeout = new CancellationTokenSource(_options.StartTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            while (await ProbeAsync(port, linked.Token) is null)
            {
                if (process.HasExited)
                {
                    var said = NodeProcesses.LastOutput(directory) is { } output ? $" Its last output: {output}" : "";
                    throw new ProviderException($"{node} exited with code {process.ExitCode} before it answered its health check.{said}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await NodeProcesses.StopAsync(process.Id, CancellationToken.None);
            NodeRecord.Delete(directory);
            throw new ProviderException($"{node} did not answer its health check within {_options.StartTimeout.TotalSeconds:0} seconds.");
        }

        return $"port {port}, version {deployed}";
    }

    private async Task<bool> StopNodeAsync(string env, string node, CancellationToken cancellationToken)
    {
        var directory = NodeDirectory(env, node);
        var record = NodeRecord.Read(directory);
        var stopped = false;
        if (record is not null && _processes.IsNode(record.ProcessId, env, node))
        {
            await NodeProcesses.StopAsync(record.ProcessId, cancellationToken);
            Log.NodeStopped(_logger, env, node, record.ProcessId);
            stopped = true;
        }

        if (record is not null)
        {
            NodeRecord.Delete(directory);
        }

        return stopped;
    }

    private async Task CheckHealthAsync(EnvironmentTarget environment, int stepIndex, IProviderProgress progress, CancellationToken cancellationToken)
    {
        progress.Step(stepIndex, StepState.Running);
        var observation = await ObserveAsync(environment, cancellationToken);
        var unhealthy = observation.Nodes.Where(n => n.Health != NodeHealth.Healthy).Select(n => n.Name).ToList();
        if (unhealthy.Count > 0)
        {
            progress.Step(stepIndex, StepState.Failed, $"not healthy: {string.Join(", ", unhealthy)}");
            throw new ProviderException($"Nodes not healthy after start: {string.Join(", ", unhealthy)}.");
        }

        progress.Step(stepIndex, StepState.Succeeded, $"{observation.Nodes.Count} of {observation.Nodes.Count} healthy");
    }

    private async Task<NodeObservation> ObserveNodeAsync(string env, string node, CancellationToken cancellationToken)
    {
        var directory = NodeDirectory(env, node);
        var record = NodeRecord.Read(directory);
        var deployed = NodeRecord.ReadDeployedVersion(directory);
        if (record is null || !_processes.IsNode(record.ProcessId, env, node))
        {
            return new NodeObservation(node, NodeHealth.Stopped, Version: deployed);
        }

        var url = new Uri($"http://127.0.0.1:{record.Port}/");
        var probe = await ProbeAsync(record.Port, cancellationToken);
        return new NodeObservation(node, probe is null ? NodeHealth.Unhealthy : NodeHealth.Healthy, url, probe?.Version ?? record.Version, record.ProcessId);
    }

    private ObservedState Summarize(string env, List<NodeObservation> nodes)
    {
        if (nodes.All(n => n.Health == NodeHealth.Healthy))
        {
            return ObservedState.Up;
        }

        if (nodes.Any(n => n.Health is NodeHealth.Healthy or NodeHealth.Unhealthy))
        {
            return ObservedState.Partial;
        }

        if (File.Exists(Path.Combine(EnvironmentDirectory(env), "destroyed")))
        {
            return ObservedState.Destroyed;
        }

        return Directory.Exists(EnvironmentDirectory(env)) ? ObservedState.Halted : ObservedState.Unknown;
    }

    private async Task<NodeInfo?> ProbeAsync(int port, CancellationToken cancellationToken)
    {
        using var probeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probeTimeout.Token);
        try
        {
            var client = _http.CreateClient(HttpClientName);
            return await client.GetFromJsonAsync<NodeInfo>(new Uri($"http://127.0.0.1:{port}/healthz"), linked.Token);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException
                                       || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private string EnvironmentDirectory(string env) => Path.Combine(Root, env);

    private string NodeDirectory(string env, string node) => Path.Combine(Root, env, node);

    /// <summary>What a node's health endpoint answers.</summary>
    private sealed record NodeInfo(string Environment, string Node, string Version);
}
