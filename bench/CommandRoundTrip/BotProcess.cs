using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// The Bot as a real OS process on a free loopback port, with its state and node directories in a
/// fresh temporary folder and otherwise its embedded defaults. Its console goes to a log file
/// there, read continuously so a full pipe never blocks it.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _logClosed;

    private BotProcess(Process process, StreamWriter log, string root, Uri address)
    {
        _process = process;
        _log = log;
        Root = root;
        Address = address;
    }

    public string Root { get; }

    public Uri Address { get; }


    public string LogPath => Path.Combine(Root, "bot.log");

    public static BotProcess Start(string botAssembly, IReadOnlyList<string> extraChannels)
    {
        ArgumentNullException.ThrowIfNull(extraChannels);
        if (!File.Exists(botAssembly))
        {
            throw new FileNotFoundException($"No Bot build at {botAssembly}; build it first (dotnet build -c Release src/Bot) or pass --bot <path to Bot.dll>.", botAssembly);
        }

        var root = Directory.CreateTempSubdirectory("chatops-bench-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { botAssembly, "--urls", address.ToString().TrimEnd('/') },
            // Run from its own folder, as deployed: the content root (and so wwwroot) is the working directory.
            WorkingDirectory = Path.GetDirectoryName(botAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Storage__ConnectionString"] = $"Data Source={Path.Combine(root, "state.db")}";
        start.Environment["Local__DataDirectory"] = Path.Combine(root, "envs");
        start.Environment["HaProxy__StateDirectory"] = Path.Combine(root, "haproxy");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        // The embedded defaults list four channels; the concurrent clients each get one more of
        // their own so that every reply can be matched to its request.
        for (var i = 0; i < extraChannels.Count; i++)
        {
            start.Environment[$"WebChat__Channels__{4 + i}"] = extraChannels[i];
        }

        var log = new StreamWriter(Path.Combine(root, "bot.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var bot = new BotProcess(process, log, root, address);
        process.OutputDataReceived += (_, e) => bot.Append(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Polls <c>/healthz</c> until 200 (recovery done, commands accepted), bounded by <paramref name="limit"/>.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Bot exited with code {_process.ExitCode}; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/healthz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }

        throw new TimeoutException($"The Bot was not healthy within {limit.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>Asks the Bot to stop (SIGTERM, so it shuts down as in production), then makes sure.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        NodeProcesses.StopAll(Root);
        _process.Dispose();
        lock (_logGate)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    /// <summary>
    /// The Bot's warnings and errors, each with the line after it (the message): a fast benchmark
    /// of a failing Bot would be worthless, so the run shows them.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        lock (_logGate)
        {
            var lines = File.ReadAllLines(LogPath);
            return [.. lines.Select((line, i) => (line, i))
                .Where(x => x.line.StartsWith("warn:", StringComparison.Ordinal) || x.line.StartsWith("fail:", StringComparison.Ordinal) || x.line.StartsWith("crit:", StringComparison.Ordinal))
                .Select(x => x.i + 1 < lines.Length ? $"{x.line} {lines[x.i + 1].Trim()}" : x.line)];
        }
    }

    /// <summary>Deletes the temporary folder; kept when a run failed so its log can be read.</summary>
    public void DeleteRoot()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A node that was just killed may still hold a file; the temp folder is harmless.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
