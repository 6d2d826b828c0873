using System.Net;
using System.Net.Sockets;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.HaProxy;
using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.TestCommon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Infrastructure.HaProxy;

/// <summary>
/// Drives a real haproxy (installed by eng/test.sh) in front of two real loopback nodes and checks
/// the traffic itself. Every haproxy started here is stopped in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class HaProxyLoadBalancerTests : IAsyncLifetime
{
    private const string Env = "test";
    private readonly string _root = Directory.CreateTempSubdirectory("chx-").FullName;
    private readonly List<TestNode> _nodes = [];
    private readonly List<string> _external = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly LoggerFactory _logs = new([new XunitLoggerProvider()]);
    private HaProxyOptions _options = null!;
    private HaProxyLoadBalancer _sut = null!;
    private TestNode _web1 = null!;
    private TestNode _web2 = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(ExecutableResolver.Find("haproxy") is not null, "haproxy is not installed; eng/test.sh installs it (apt-get install haproxy).");
        _web1 = await StartNodeAsync("web1");
        _web2 = await StartNodeAsync("web2");
        _options = new HaProxyOptions
        {
            StateDirectory = Path.Combine(_root, "hx"),
            HealthCheckInterval = TimeSpan.FromMilliseconds(500),
            Environments = { [Env] = new HaProxyEnvironmentOptions { Port = FreePort() } },
        };
        _sut = CreateSut(_options);
    }

    [Fact]
    public async Task Traffic_WeightsSorryAndBack_FollowTheCommands()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.AddServerAsync(Env, "web2", _web2.Url, ct);
        var front = (await _sut.GetStatusAsync(Env, ct)).FrontUrl!;

        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 80, ["web2"] = 20 }, ct);
        var split = await SendAsync(front, 200);
        Assert.True(split.GetValueOrDefault("web1") > split.GetValueOrDefault("web2"), Describe(split));
        Assert.True(split.GetValueOrDefault("web2") > 0, Describe(split));
        Assert.Equal(200, split.GetValueOrDefault("web1") + split.GetValueOrDefault("web2"));

        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 100, ["web2"] = 0 }, ct);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 200 }, await SendAsync(front, 200));

        await _sut.SetSorryAsync(Env, true, "Back at 9pm: <b>\"soon\"</b> & ready; promise", ct);
        using (var sorry = await GetAsync(front))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, sorry.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode("Back at 9pm: <b>\"soon\"</b> & ready; promise"), await sorry.Content.ReadAsStringAsync(ct));
        }

        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.True(status.Sorry);
        Assert.Equal("Back at 9pm: <b>\"soon\"</b> & ready; promise", status.SorryMessage);
        Assert.All(status.Servers, s => Assert.Equal("MAINT", s.State));

        await _sut.SetSorryAsync(Env, false, null, ct);
        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 50, ["web2"] = 50 }, ct);
        await WaitUntilAllUpAsync();
        var back = await SendAsync(front, 20);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 10, ["web2"] = 10 }, back);
        Assert.False((await _sut.GetStatusAsync(Env, ct)).Sorry);
    }

    [Fact]
    public async Task AddServerAsync_HealthyNodes_AreUpAndServeAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.AddServerAsync(Env, "web2", _web2.Url, ct);

        // No waiting for health checks to rise: the next request already reaches both.
        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.All(status.Servers, s => Assert.Equal("UP", s.State));
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 5, ["web2"] = 5 }, await SendAsync(status.FrontUrl!, 10));
    }

    [Fact]
    public async Task AddServerAsync_ServerDownSinceItsNodeDied_NodeBackIsUpAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var gone = await StartNodeAsync("web3");
        await _sut.AddServerAsync(Env, "web1", gone.Url, ct);
        await gone.DisposeAsync();
        _nodes.Remove(gone);
        await WaitForStateAsync("web1", "DOWN");

        // The node is back on another port, as after a restart of the environment.
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);

        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.Equal("UP", status.Servers.Single().State);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 5 }, await SendAsync(status.FrontUrl!, 5));
    }

    [Fact]
    public async Task SetSorryAsync_Off_ThenNodesGone_ServesTheDefaultMessageNotTheOldOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.SetSorryAsync(Env, true, "Back at 9pm, sorry!", ct);
        await _sut.SetSorryAsync(Env, false, null, ct);

        await _sut.RemoveServerAsync(Env, "web1", ct);

        using var outage = await GetAsync((await _sut.GetStatusAsync(Env, ct)).FrontUrl!);
        var page = await outage.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(_options.SorryMessage), page);
        Assert.DoesNotContain("Back at 9pm", page);

        // The map file a restarted haproxy reads forgot it too.
        Assert.DoesNotContain("Back at 9pm", await File.ReadAllTextAsync(HaProxyPaths.For(_options.StateDirectory, Env).SorryMap, ct));
    }

    [Fact]
    public async Task GetStatusAsync_Running_ReportsWeightsAndStatesFromShowStat()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.AddServerAsync(Env, "web2", _web2.Url, ct);
        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 30 }, ct);
        await WaitUntilAllUpAsync();

        var status = await _sut.GetStatusAsync(Env, ct);

        Assert.Equal(new Uri($"http://127.0.0.1:{_options.Environments[Env].Port}/"), status.FrontUrl);
        Assert.Equal([new LoadBalancerServer("web1", 30, "UP"), new LoadBalancerServer("web2", 100, "UP")], status.Servers);
        Assert.False(status.Sorry);
        Assert.Null(status.SorryMessage);
    }

    [Fact]
    public async Task GetStatusAsync_NodeStops_HealthCheckMarksItDown()
    {
        var ct = TestContext.Current.CancellationToken;
        var doomed = await StartNodeAsync("web3");
        await _sut.AddServerAsync(Env, "web3", doomed.Url, ct);
        await doomed.DisposeAsync();
        _nodes.Remove(doomed);

        await WaitForStateAsync("web3", "DOWN");
        var status = await _sut.GetStatusAsync(Env, ct);

        Assert.Equal("DOWN", status.Servers.Single().State);
        using var response = await GetAsync(status.FrontUrl!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task SetWeightsAsync_UnknownServer_RefusedAndNothingChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);

        var ex = await Assert.ThrowsAsync<LoadBalancerException>(() =>
            _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 5, ["web9"] = 10 }, ct));

        Assert.Contains("no server 'web9'", ex.Message);
        Assert.Equal(100, (await _sut.GetStatusAsync(Env, ct)).Servers.Single().Weight);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public async Task SetWeightsAsync_OutOfRange_Refused(int weight)
    {
        var ex = await Assert.ThrowsAsync<LoadBalancerException>(() =>
            _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = weight }, TestContext.Current.CancellationToken));

        Assert.Contains("0 to 256", ex.Message);
    }

    [Fact]
    public async Task AddServerAsync_NameWithCommandSeparator_Refused()
    {
        await Assert.ThrowsAsync<LoadBalancerException>(() =>
            _sut.AddServerAsync(Env, "web1;shutdown", _web1.Url, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SocketGone_ClearErrorAndRecordsUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        var statePath = Path.Combine(_options.StateDirectory, Env, "state.json");
        var before = await File.ReadAllTextAsync(statePath, ct);
        File.Delete(Path.Combine(_options.StateDirectory, Env, "admin.sock"));

        var weights = await Assert.ThrowsAsync<LoadBalancerException>(() => _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 1 }, ct));
        var sorry = await Assert.ThrowsAsync<LoadBalancerException>(() => _sut.SetSorryAsync(Env, true, "down", ct));
        await Assert.ThrowsAsync<LoadBalancerException>(() => _sut.GetStatusAsync(Env, ct));

        Assert.Contains("cannot be reached", weights.Message);
        Assert.Contains("is HAProxy running", sorry.Message);
        Assert.Equal(before, await File.ReadAllTextAsync(statePath, ct));
    }

    [Fact]
    public async Task ExistingHaProxy_RuntimeAddressNotListening_ClearError()
    {
        _options.Environments["prod"] = new HaProxyEnvironmentOptions { Runtime = new Uri($"tcp://127.0.0.1:{FreePort()}"), Backend = "app" };

        var ex = await Assert.ThrowsAsync<LoadBalancerException>(() => _sut.GetStatusAsync("prod", TestContext.Current.CancellationToken));

        Assert.Contains("cannot be reached", ex.Message);
        Assert.True((await _sut.CheckAvailabilityAsync("prod", TestContext.Current.CancellationToken)).Available);
    }

    [Fact]
    public async Task ExistingHaProxy_OverTcpRuntimeApi_WeightsAndSorryWithMap()
    {
        var ct = TestContext.Current.CancellationToken;
        var (runtimePort, frontPort) = (FreePort(), FreePort());
        var directory = Directory.CreateDirectory(Path.Combine(_root, "external")).FullName;
        var map = Path.Combine(directory, "sorry.map");
        await File.WriteAllTextAsync(map, "page initial\n", ct);
        var config = Path.Combine(directory, "haproxy.cfg");
        // Hand-written, as an operator's own HAProxy would be: a TCP admin socket and a backend called app.
        await File.WriteAllTextAsync(config, $$"""
            global
                pidfile {{directory}}/haproxy.pid
                stats socket ipv4@127.0.0.1:{{runtimePort}} level admin
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend www
                bind 127.0.0.1:{{frontPort}}
                default_backend app
            backend app
                http-request return status 503 content-type text/html lf-string "%[str(page),map({{map}})]" if { nbsrv(app) eq 0 }
                server a {{_web1.Url.Authority}} weight 10
                server b {{_web2.Url.Authority}} weight 10

            """, ct);
        var launcher = new ProcessLauncher(TimeProvider.System, _logs.CreateLogger<ProcessLauncher>());
        var started = await launcher.RunAsync(new ProcessSpec("haproxy", ["-D", "-f", config]), TimeSpan.FromSeconds(30), null, ct);
        Assert.True(started.Succeeded, string.Join("\n", started.LastLines));
        _external.Add(Path.Combine(directory, "haproxy.pid"));
        _options.Environments["prod"] = new HaProxyEnvironmentOptions
        {
            Runtime = new Uri($"tcp://127.0.0.1:{runtimePort}"),
            Backend = "app",
            FrontUrl = new Uri($"http://127.0.0.1:{frontPort}/"),
            SorryMap = map,
        };

        await _sut.SetWeightsAsync("prod", new Dictionary<string, int> { ["A"] = 0 }, ct);
        Assert.Equal(new Dictionary<string, int> { ["web2"] = 4 }, await SendAsync(new Uri($"http://127.0.0.1:{frontPort}/"), 4));

        await _sut.SetSorryAsync("prod", true, "Upgrading the database", ct);
        using (var response = await GetAsync(new Uri($"http://127.0.0.1:{frontPort}/")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("Upgrading the database", await response.Content.ReadAsStringAsync(ct));
        }

        var status = await _sut.GetStatusAsync("prod", ct);
        Assert.Equal(new Uri($"http://127.0.0.1:{frontPort}/"), status.FrontUrl);
        Assert.Equal([new LoadBalancerServer("a", 0, "MAINT"), new LoadBalancerServer("b", 10, "MAINT")], status.Servers);
        Assert.True(status.Sorry);
    }

    [Fact]
    public async Task RemoveServerAsync_NodeGoes_TrafficGoesToTheOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.AddServerAsync(Env, "web2", _web2.Url, ct);

        await _sut.RemoveServerAsync(Env, "web2", ct);

        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.Equal(["web1"], status.Servers.Select(s => s.Name));
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 10 }, await SendAsync(status.FrontUrl!, 10));
    }

    [Fact]
    public async Task AddServerAsync_ExistingServerNewAddress_TrafficFollowsTheNewAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);

        // The node came back on another port: same server name, new address.
        await _sut.AddServerAsync(Env, "web1", _web2.Url, ct);

        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.Equal(["web1"], status.Servers.Select(s => s.Name));
        Assert.Equal(new Dictionary<string, int> { ["web2"] = 5 }, await SendAsync(status.FrontUrl!, 5));
    }

    [Fact]
    public async Task FrontPortTaken_HaProxyCannotStart_ClearErrorAndNothingRecorded()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, _options.Environments[Env].Port!.Value);
        squatter.Start();

        var ex = await Assert.ThrowsAsync<LoadBalancerException>(() => _sut.AddServerAsync(Env, "web1", _web1.Url, TestContext.Current.CancellationToken));

        Assert.Contains("did not start", ex.Message);
        Assert.Contains("cannot bind", ex.Message, StringComparison.OrdinalIgnoreCase);
        var stopped = await _sut.GetStatusAsync(Env, TestContext.Current.CancellationToken);
        Assert.Empty(stopped.Servers);
    }

    [Fact]
    public async Task Restart_ConfigRegeneratedFromRecords_KeepsServersWeightsAndSorry()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        await _sut.AddServerAsync(Env, "web2", _web2.Url, ct);
        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 7 }, ct);
        await _sut.SetSorryAsync(Env, true, "Maintenance until noon", ct);
        await _sut.StopAsync(Env, ct);

        var stopped = await _sut.GetStatusAsync(Env, ct);
        Assert.Null(stopped.FrontUrl);
        Assert.All(stopped.Servers, s => Assert.Equal("STOPPED", s.State));

        // A fresh instance, as after our own restart: the next change starts haproxy from the records.
        var restarted = CreateSut(_options);
        await restarted.SetWeightsAsync(Env, new Dictionary<string, int> { ["web2"] = 9 }, ct);
        var status = await restarted.GetStatusAsync(Env, ct);

        Assert.Equal([new LoadBalancerServer("web1", 7, "MAINT"), new LoadBalancerServer("web2", 9, "MAINT")], status.Servers);
        Assert.True(status.Sorry);
        using var response = await GetAsync(status.FrontUrl!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Maintenance until noon", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task PortChangedInSettings_RestartedOnTheNewPortWithItsServers()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        var newPort = FreePort();
        _options.Environments[Env].Port = newPort;

        await _sut.SetWeightsAsync(Env, new Dictionary<string, int> { ["web1"] = 3 }, ct);

        var status = await _sut.GetStatusAsync(Env, ct);
        Assert.Equal(new Uri($"http://127.0.0.1:{newPort}/"), status.FrontUrl);
        Assert.Equal(3, status.Servers.Single().Weight);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 3 }, await SendAsync(status.FrontUrl!, 3));
    }

    [Fact]
    public async Task SecondInstance_ProcessAlreadyRunning_ReattachesByPidFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.AddServerAsync(Env, "web1", _web1.Url, ct);
        var pid = await File.ReadAllTextAsync(Path.Combine(_options.StateDirectory, Env, "haproxy.pid"), ct);

        await CreateSut(_options).AddServerAsync(Env, "web2", _web2.Url, ct);

        Assert.Equal(pid, await File.ReadAllTextAsync(Path.Combine(_options.StateDirectory, Env, "haproxy.pid"), ct));
        Assert.Equal(["web1", "web2"], (await _sut.GetStatusAsync(Env, ct)).Servers.Select(s => s.Name));
    }

    [Fact]
    public async Task NotInstalled_AvailabilityAndCommandsSayHowToInstall()
    {
        var options = new HaProxyOptions { Executable = "haproxy-missing", StateDirectory = Path.Combine(_root, "none") };
        var sut = CreateSut(options);

        var availability = await sut.CheckAvailabilityAsync(Env, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<LoadBalancerException>(() => sut.SetSorryAsync(Env, true, null, TestContext.Current.CancellationToken));

        Assert.False(availability.Available);
        Assert.Equal("HAProxy is not installed: `sudo apt-get install haproxy`", availability.Reason);
        Assert.Equal(HaProxyLoadBalancer.NotInstalled, ex.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _sut.StopAsync(Env, CancellationToken.None);
        foreach (var directory in Directory.Exists(_options.StateDirectory) ? Directory.GetDirectories(_options.StateDirectory) : [])
        {
            if (HaProxyProcess.FindRunning(new HaProxyPaths(directory)) is { } pid)
            {
                ProcessTree.Kill(pid);
            }
        }

        foreach (var pidFile in _external.Where(File.Exists))
        {
            ProcessTree.Kill(int.Parse(File.ReadAllText(pidFile).Trim()));
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _http.Dispose();
        _logs.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private HaProxyLoadBalancer CreateSut(HaProxyOptions options)
    {
        var wrapped = Options.Create(options);
        var runtime = new HaProxyRuntimeClient(wrapped, TimeProvider.System);
        var launcher = new ProcessLauncher(TimeProvider.System, _logs.CreateLogger<ProcessLauncher>());
        var process = new HaProxyProcess(wrapped, launcher, runtime, TimeProvider.System, _logs.CreateLogger<HaProxyProcess>());
        return new HaProxyLoadBalancer(wrapped, runtime, process, _logs.CreateLogger<HaProxyLoadBalancer>());
    }

    private async Task<TestNode> StartNodeAsync(string name)
    {
        var node = await TestNode.StartAsync(name);
        _nodes.Add(node);
        return node;
    }

    private async Task<HttpResponseMessage> GetAsync(Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // A new connection per request, so every request goes through the balancing decision.
        request.Headers.ConnectionClose = true;
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<Dictionary<string, int>> SendAsync(Uri front, int count)
    {
        var hits = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await GetAsync(front);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var key = response.IsSuccessStatusCode ? body : $"{(int)response.StatusCode}";
            hits[key] = hits.GetValueOrDefault(key) + 1;
        }

        return hits;
    }

    private async Task WaitForStateAsync(string server, string state)
    {
        var seen = "";
        await Wait.UntilAsync(
            async () => (seen = (await _sut.GetStatusAsync(Env, TestContext.Current.CancellationToken)).Servers.Single(s => s.Name == server).State) == state,
            $"{server} to be {state}",
            lastSeen: () => seen);
    }

    private async Task WaitUntilAllUpAsync()
    {
        await Wait.UntilAsync(
            async () => (await _sut.GetStatusAsync(Env, TestContext.Current.CancellationToken)).Servers.All(s => s.State == "UP"),
            "every server to be UP");
    }

    private static string Describe(Dictionary<string, int> hits) => string.Join(", ", hits.Select(h => $"{h.Key}={h.Value}"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
