using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace ChatOps.TestCommon.Processes;

/// <summary>
/// The Bot as a real OS process on a free loopback port, with its state, node and HAProxy directories
/// under <see cref="Root"/> and otherwise its embedded defaults: for tests that kill it, restart it or
/// drive it from a browser, and for the benchmarks. What it writes is kept in <see cref="Output"/>, read
/// continuously so a full pipe never blocks it.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Lock _outputGate = new();
    private readonly List<string> _output = [];

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

    /// <summary>The bot's OS process id (the benchmarks read its memory from <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    public HttpClient Http { get; }

    /// <summary>Everything the bot has written so far (standard output and error, in arrival order).</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>The Bot.dll built beside the running tests (every project that references the Bot has one).</summary>
    public static string BotAssembly => Path.Combine(AppContext.BaseDirectory, "Bot.dll");

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>src/Bot, so the page's static files are found as in <c>dotnet run --project src/Bot</c>.</summary>
    public static string ProjectDirectory => RepositoryRoot.Combine("src", "Bot");

    /// <summary>
    /// Starts the bot listening on <paramref name="listenHost"/> (loopback unless a test needs a wider binding)
    /// and waits until <c>/healthz</c> answers 200 (start-up recovery done, commands accepted); the caller
    /// reaches it through 127.0.0.1 either way. <paramref name="botAssembly"/> and <paramref name="workingDirectory"/>
    /// default to <see cref="BotAssembly"/> and <see cref="ProjectDirectory"/>; <paramref name="testDefaults"/> false
    /// leaves out the tests' faster progress edits and silent audit heads, for a benchmark that measures the product's own.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string root, IDictionary<string, string>? settings = null, string listenHost = "127.0.0.1",
        string? botAssembly = null, string? workingDirectory = null, bool testDefaults = true)
    {
        var port = FreePort();
        var start = StartInfo(root, ["--urls", $"http://{listenHost}:{port}"], settings, botAssembly, workingDirectory, testDefaults);
        var bot = new BotProcess(Process.Start(start)!, root, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await bot.WaitUntilReadyAsync();
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }

        return bot;
    }

    /// <summary>Runs a bot that is expected to refuse to start; returns its exit code and what it wrote.</summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunUntilExitAsync(string root, string urls, IDictionary<string, string>? settings = null) =>
        RunAsync(root, ["--urls", urls], $"the bot on {urls} to refuse to start and exit", settings);

    /// <summary>
    /// Runs one of the bot's commands (<c>audit verify</c>, <c>slack-manifest</c>) on the state under <paramref name="root"/>,
    /// as <c>dotnet run --project src/Bot -- …</c> would; returns its exit code and what it wrote.
    /// </summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunCommandAsync(string root, params string[] arguments) =>
        RunAsync(root, arguments, $"the bot's '{string.Join(' ', arguments)}' to exit", settings: null);

    /// <summary>Runs one of the bot's commands with <paramref name="settings"/> as environment variables (<c>Discord__BotToken</c>).</summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunCommandAsync(string root, IDictionary<string, string> settings, params string[] arguments) =>
        RunAsync(root, arguments, $"the bot's '{string.Join(' ', arguments)}' to exit", settings);

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string root, IReadOnlyList<string> arguments, string what, IDictionary<string, string>? settings)
    {
        using var process = Process.Start(StartInfo(root, arguments, settings, botAssembly: null, workingDirectory: null, testDefaults: true))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await Wait.ForExitAsync(process, what, within: TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output, await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A loopback port range for one bot's HAProxy fronts, spread so parallel bots do not race for
    /// the same ports (HAProxy then takes the first free one from here).
    /// </summary>
    public static int FrontPortBase() => 20000 + (Random.Shared.Next(0, 400) * 100);

    private static ProcessStartInfo StartInfo(string root, IReadOnlyList<string> arguments, IDictionary<string, string>? settings, string? botAssembly, string? workingDirectory, bool testDefaults)
    {
        botAssembly ??= BotAssembly;
        if (!File.Exists(botAssembly))
        {
            throw new FileNotFoundException($"No Bot build at {botAssembly}; build it first (dotnet build src/Bot).", botAssembly);
        }

        // In its own session, as from a terminal, so a test can press Ctrl-C (SIGINT to the bot's process
        // group) without reaching the test runner; SIGINT back to its default in case the runner ignores it.
        // setsid execs in place (the child of this process never leads a group), so the pid is the bot's own.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory ?? ProjectDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "env", "--default-signal=INT", DotnetHost, botAssembly }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // The bot runs on its embedded defaults, not on whatever the calling shell has set.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["Storage__ConnectionString"] = $"Data Source={Path.Combine(root, "state.db")}";
        start.Environment["Local__DataDirectory"] = Path.Combine(root, "envs");
        start.Environment["HaProxy__StateDirectory"] = Path.Combine(root, "haproxy");
        start.Environment["HaProxy__FrontPortBase"] = FrontPortBase().ToString(CultureInfo.InvariantCulture);
        start.Environment["Audit__KeyFile"] = Path.Combine(root, "audit.key");
        start.Environment["Audit__HeadFile"] = Path.Combine(root, "audit-heads.log");
        if (testDefaults)
        {
            start.Environment["Workflows__ProgressInterval"] = "00:00:00.200";
            start.Environment["Audit__HeadChannel"] = "";
        }

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
        Signal(-_process.Id, SigInt);
        await WaitForExitAsync("the bot to exit after Ctrl-C", bound);
    }

    /// <summary>Asks the bot to stop as a service manager would (SIGTERM), and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan bound)
    {
        if (!_process.HasExited)
        {
            Signal(_process.Id, SigTerm);
            await WaitForExitAsync("the bot to exit after SIGTERM", bound);
        }
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>
    /// The bot's warnings and errors, each with the line after it (the message), so a run that looks
    /// fine but logged failures can say so.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        string[] lines;
        lock (_outputGate)
        {
            lines = [.. _output];
        }

        return [.. lines.Select((line, i) => (line, i))
            .Where(x => x.line.StartsWith("warn:", StringComparison.Ordinal) || x.line.StartsWith("fail:", StringComparison.Ordinal) || x.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(x => x.i + 1 < lines.Length ? $"{x.line} {lines[x.i + 1].Trim()}" : x.line)];
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

    private async Task WaitForExitAsync(string what, TimeSpan bound)
    {
        try
        {
            await Wait.ForAsync(_process.WaitForExitAsync(TestContext.Current.CancellationToken), what, bound);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Its output:\n{Output}", e);
        }
    }

    private async Task WaitUntilReadyAsync() =>
        await Wait.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The bot exited with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            "the bot to answer /healthz with 200",
            // A cold start of a real process on a loaded two-core machine: longer than in-process work.
            within: TimeSpan.FromMinutes(1),
            lastSeen: () => Output);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.Add(line);
        }
    }

    private static void Signal(int processId, int signal)
    {
        if (SendSignal(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int sig);
#pragma warning restore SYSLIB1054
}
