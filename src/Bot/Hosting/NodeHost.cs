using System.Globalization;

namespace ChatOps.Bot.Hosting;

/// <summary>
/// <c>Bot node --env test --node web1 --version 7 --port 5101 --root … [--warmup 5]</c>: the Local
/// provider's node, a tiny web server that names its environment, node and deployed version.
/// <c>--warmup</c> makes it take that many seconds before it listens, like a slow-booting service.
/// </summary>
internal static class NodeHost
{
    public static bool Matches(string[] args) => args is ["node", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        string Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
                                     ?? throw new ArgumentException($"node mode needs {name}.");
        var environment = Value("--env");
        var node = Value("--node");
        var version = Value("--version");
        var port = int.Parse(Value("--port"), CultureInfo.InvariantCulture);
        var warmup = args.Contains("--warmup") ? double.Parse(Value("--warmup"), CultureInfo.InvariantCulture) : 0;
        if (warmup > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(warmup), TimeProvider.System);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Text($"Hello from {environment}/{node}, version {version}\n"));
        app.MapGet("/healthz", () => Results.Json(new NodeIdentity(environment, node, version)));
        await app.RunAsync();
        return 0;
    }

    private sealed record NodeIdentity(string Environment, string Node, string Version);
}
