using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>
/// The Bot as a real OS process on a loopback port, with its state in <see cref="Root"/>: for tests
/// that kill it, restart it, or drive it from a browser.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BotProcess(Process process, string root, Uri baseAddress)
    {
        _process = process;
        Root = root;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Root { get; }

    public string NodesRoot => Path.Combine(Root, "envs");

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public ChatApi Chat => new(Http);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built Bot.dll beside the tests.</summary>
    public static string BotAssembly => typeof(Hosting.NodeHost).Assembly.Location;

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>src/Bot, so the page's static files are found as in <c>dotnet run --project src/Bot</c>.</summary>
    public static string ProjectDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bot.sln")))
                {
                    return Path.Combine(dir.FullName, "src", "Bot");
                }
            }

            throw new DirectoryNotFoundException("Bot.sln not found above the test binaries.");
        }
    }

    /// <summary>
    /// Starts the bot listening on <paramref name="listenHost"/> (loopback unless a test needs a wider binding);
    /// the tests reach it through 127.0.0.1 either way.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string root, IDictionary<string, string>? settings = null, string listenHost = "127.0.0.1")
    {
        var port = FreePort();
        var start = StartInfo(root, $"http://{listenHost}:{port}", settings);
        var bot = new BotProcess(Process.Start(start)!, root, new Uri($"http://127.0.0.1:{port}/"));
        await bot.WaitUntilReadyAsync();
        return bot;
    }

    /// <summary>Runs a bot that is expected to refuse to start; returns its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunUntilExitAsync(string root, string urls, IDictionary<string, string>? settings = null)
    {
        using var process = Process.Start(StartInfo(root, urls, settings))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The bot on {urls} did not exit within 60 s:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string root, string urls, IDictionary<string, string>? settings)
    {
        // In its own session, as from a terminal, so a test can press Ctrl-C (SIGINT to the bot's process
        // group) without reaching the test runner; SIGINT back to its default in case the runner ignores it.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = ProjectDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "env", "--default-signal=INT", DotnetHost, BotAssembly, "--urls", urls })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Storage__ConnectionString"] = $"Data Source={Path.Combine(root, "state.db")}";
        start.Environment["Local__DataDirectory"] = Path.Combine(root, "envs");
        start.Environment["Workflows__ProgressInterval"] = "00:00:00.200";
        start.Environment["HaProxy__StateDirectory"] = Path.Combine(root, "haproxy");
        start.Environment["Audit__KeyFile"] = Path.Combine(root, "audit.key");
        start.Environment["Audit__HeadFile"] = Path.Combine(root, "audit-heads.log");
        start.Environment["Audit__HeadChannel"] = "";
        start.Environment["HaProxy__FrontPortBase"] = NodeProcesses.FrontPortBase().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>
    /// Ctrl-C in the bot's terminal: SIGINT to its whole process group. Waits at most <paramref name="bound"/>
    /// for it to exit and fails with its output otherwise.
    /// </summary>
    public async Task InterruptAsync(TimeSpan bound)
    {
        Assert.Equal(0, SignalGroup(-_process.Id, SigInt));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The bot did not exit within {bound.TotalSeconds:0} s of Ctrl-C:\n{Output}");
        }
    }

    private const int SigInt = 2;

#pragma warning disable SYSLIB1054
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SignalGroup(int pid, int sig);
#pragma warning restore SYSLIB1054

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await Wait.ForAsync(_process.WaitForExitAsync(), "the killed bot to exit");
        }

        _process.Dispose();
        Http.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var response = await Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"The bot never became ready:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
