using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChatOps.TestCommon.Storage;

/// <summary>
/// A throwaway PostgreSQL server: <c>initdb</c> into a temporary folder, <c>pg_ctl start</c> on a free loopback port with
/// its socket in that folder (as the <c>postgres</c> user when the tests run as root, since the server refuses to run as
/// root), stopped and deleted by <see cref="DisposeAsync"/>. <see cref="Shared"/> is one per test process, stopped when the
/// process exits; tests that stop the server start their own. Each test takes a database of its own
/// (<see cref="CreateDatabaseAsync"/>). Every wait is bounded; without PostgreSQL installed it fails saying so.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(StartSharedAsync);
    private static int _databases;

    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string bin, string root, int port, bool asPostgresUser)
    {
        _bin = bin;
        Root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The cluster every test in this process shares; started on first use.</summary>
    public static Task<PostgresCluster> Shared => SharedCluster.Value;

    public string Root { get; }

    public int Port { get; private set; }

    public string DataFolder => Path.Combine(Root, "data");

    public string LogFile => Path.Combine(Root, "server.log");

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust authentication, loopback only).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Timeout = 15 }.ConnectionString;

    /// <summary>Starts a cluster of its own, for a test that stops and starts the server.</summary>
    public static async Task<PostgresCluster> StartNewAsync()
    {
        var bin = FindBin();
        var root = Directory.CreateTempSubdirectory("chatops-pg-").FullName;
        var asPostgresUser = Environment.IsPrivilegedProcess;
        var cluster = new PostgresCluster(bin, root, FreePort(), asPostgresUser);
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
            }

            // Locale C: text sorts by bytes, as in SQLite. No sync: a test cluster lives and dies with its folder.
            await cluster.RunToolAsync("initdb", ["-D", cluster.DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database; dropped again when the returned handle is disposed.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = $"chatops_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await AdminAsync($"CREATE DATABASE {name}");
        return new PostgresDatabase(this, name);
    }

    /// <summary>Starts the server (again), on the same port.</summary>
    public Task StartAsync() => RunToolAsync("pg_ctl", [
        "start", "-D", DataFolder, "-l", LogFile, "-w", "-t", "60",
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {Root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on"]);

    /// <summary>Stops the server at once (connections are cut, as when it crashes or is shut down under the bot).</summary>
    public Task StopAsync() => RunToolAsync("pg_ctl", ["stop", "-D", DataFolder, "-m", "immediate", "-w", "-t", "60"]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped, or it would not stop in time: the folder goes anyway, and the server with it.
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresCluster> StartSharedAsync()
    {
        var cluster = await StartNewAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().Wait(CommandBound);
        return cluster;
    }

    private Task RunToolAsync(string tool, string[] arguments) => RunAsync(Path.Combine(_bin, tool), arguments, _asPostgresUser);

    private static async Task RunAsync(string file, string[] arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(CommandBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} did not finish within {CommandBound.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>Debian's server binaries (the newest version installed), else whatever is on PATH.</summary>
    private static string FindBin()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return debian ?? onPath ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: no initdb in /usr/lib/postgresql/*/bin or on PATH. Install Debian's postgresql package (eng/test.sh does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One test's database on a <see cref="PostgresCluster"/>; dropped (its connections cut) on dispose.</summary>
public sealed class PostgresDatabase(PostgresCluster cluster, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString => cluster.ConnectionString(Name);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await cluster.AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // The server was stopped by the test; the cluster's folder goes with it.
        }
    }
}
