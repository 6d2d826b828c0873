using System.Reflection;
using ChatOps.Integrations.Infrastructure.Local;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Infrastructure.Local;

/// <summary>
/// A temporary data directory for the Local provider, whose nodes are real processes: the Bot's own node
/// mode (<c>dotnet Bot.dll node …</c>), as in production. Disposing it stops every node left under it.
/// </summary>
internal sealed class LocalNodes : IDisposable
{
    private readonly BotRoot _root = new("chatops-local-");

    /// <summary>Where the provider keeps its node directories (its <c>--root</c>).</summary>
    public string Root => Path.Combine(_root.Path, "envs");

    public static string BotAssembly { get; } = Path.GetFullPath(typeof(LocalNodes).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BotAssembly").Value!);

    /// <summary>The node program and the arguments before the node's own.</summary>
    public static (string Program, string[] Arguments) BotNode => (BotProcess.DotnetHost, [BotAssembly, "node"]);

    public NodeProcesses Processes() => new(BotNode.Program, BotNode.Arguments, Root);

    /// <summary>The provider as the host registers it, with <paramref name="settings"/> over the test's node program.</summary>
    public ServiceProvider Services(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Local:DataDirectory"] = Root,
            ["Local:NodeProgram"] = BotNode.Program,
            ["Local:NodeArguments:0"] = BotNode.Arguments[0],
            ["Local:NodeArguments:1"] = BotNode.Arguments[1],
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment(_root.Path))
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.AddProvider(new XunitLoggerProvider()))
            .AddLocalProvider();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static LocalComputeProvider Provider(ServiceProvider services) => services.GetRequiredService<LocalComputeProvider>();

    public void Dispose() => _root.Dispose();
}
