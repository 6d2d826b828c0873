using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.Command;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// A command is observed and planned once: the plan made at the request travels in the run through the
/// confirmation to the executor. Counted on the real Command provider (its programs log each call they
/// make), seen through a counter that passes every call on to it.
/// </summary>
public sealed class RunPlanningTests : IAsyncLifetime
{
    private readonly BotFactory _factory;
    private readonly WebApplicationFactory<Program> _host;
    private readonly string _calls;
    private CountingProvider? _provider;

    public RunPlanningTests()
    {
        var root = Directory.CreateTempSubdirectory("chatops-planning-").FullName;
        _calls = Path.Combine(root, "calls.log");
        var flag = Path.Combine(root, "up.flag");
        string[] Script(string text) => ["-c", text];
        var settings = new Dictionary<string, string?>
        {
            ["Environments:counted:Provider"] = CountingProvider.ProviderName,
            ["Environments:counted:LoadBalancer"] = "None",
            ["Environments:counted:Nodes:0"] = "app",
            // Status answers 0 (up) once up ran, 3 (halted) before; each program logs that it was called.
            ["Environments:counted:Command:Status:Program"] = "sh",
            ["Environments:counted:Command:Up:Program"] = "sh",
            ["Environments:counted:Command:Halt:Program"] = "sh",
            // The watch would observe an environment believed up; this test counts the command's calls alone.
            ["Watch:Interval"] = "01:00:00",
        };
        foreach (var (verb, text) in new[]
                 {
                     ("Status", $"echo status >> '{_calls}'; if [ -f '{flag}' ]; then exit 0; else exit 3; fi"),
                     ("Up", $"echo up >> '{_calls}'; touch '{flag}'"),
                     ("Halt", $"echo halt >> '{_calls}'; rm -f '{flag}'"),
                 })
        {
            var arguments = Script(text);
            for (var i = 0; i < arguments.Length; i++)
            {
                settings[$"Environments:counted:Command:{verb}:Arguments:{i}"] = arguments[i];
            }
        }

        _factory = new BotFactory(settings: settings);
        _host = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IComputeProvider>(sp => _provider = new CountingProvider(ActivatorUtilities.CreateInstance<CommandComputeProvider>(sp)))));
    }

    private ChatApi Chat => new(_host.CreateClient());

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Up_WithoutConfirmation_ObservesOncePlansOnceRunsOnce()
    {
        var chat = Chat;
        var (before, logged) = await StartedAsync(chat);

        var reply = await chat.BotReplyAsync(await chat.SayAsync("carol", "/env up counted"), m => m.Text.StartsWith('✅'));

        Assert.Contains("*counted* is up", reply.Text, StringComparison.Ordinal);
        Assert.Equal((1, 1, 1), _provider!.Since(before));
        Assert.Equal(["status", "up"], await CallsSinceAsync(logged));
    }

    [Fact]
    public async Task Halt_ThroughItsConfirmation_IsPlannedOnceAndNotObservedAgain()
    {
        var chat = Chat;
        await StartedAsync(chat);
        await chat.BotReplyAsync(await chat.SayAsync("carol", "/env up counted"), m => m.Text.StartsWith('✅'));
        var (before, logged) = (_provider!.Total, (await File.ReadAllLinesAsync(_calls, TestContext.Current.CancellationToken)).Length);

        var prompt = await chat.BotReplyAsync(await chat.SayAsync("carol", "/env halt counted"), m => m.Buttons.Count > 0);
        (await chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"))).EnsureSuccessStatusCode();
        await chat.WaitForAsync(messages => messages.FirstOrDefault(m => m.Id == prompt.Id && m.Text.StartsWith('✅')));

        Assert.Equal((1, 1, 1), _provider.Since(before));
        Assert.Equal(["status", "halt"], await CallsSinceAsync(logged));
    }

    /// <summary>Once the bot is ready (start-up recovery has observed every environment): the counts and the log's length then.</summary>
    private async Task<((int, int, int) Counts, int Logged)> StartedAsync(ChatApi chat)
    {
        await Wait.UntilAsync(async () => (await chat.Http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken)).IsSuccessStatusCode,
            "the bot to be ready");
        return (_provider!.Total, File.Exists(_calls) ? (await File.ReadAllLinesAsync(_calls, TestContext.Current.CancellationToken)).Length : 0);
    }

    private async Task<string[]> CallsSinceAsync(int logged) => [.. (await File.ReadAllLinesAsync(_calls, TestContext.Current.CancellationToken)).Skip(logged)];

    /// <summary>Passes every call on to the real provider, counting observations, plans and runs.</summary>
    private sealed class CountingProvider(IComputeProvider inner) : IComputeProvider
    {
        public const string ProviderName = "Counted";

        private int _observed;
        private int _planned;
        private int _ran;

        public string Name => ProviderName;

        public (int Observed, int Planned, int Ran) Total => (Volatile.Read(ref _observed), Volatile.Read(ref _planned), Volatile.Read(ref _ran));

        public (int Observed, int Planned, int Ran) Since((int Observed, int Planned, int Ran) before)
        {
            var now = Total;
            return (now.Observed - before.Observed, now.Planned - before.Planned, now.Ran - before.Ran);
        }

        public IReadOnlyList<string> Plan(ProviderOperation operation)
        {
            Interlocked.Increment(ref _planned);
            return inner.Plan(operation);
        }

        public Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _ran);
            return inner.RunAsync(operation, progress, cancellationToken);
        }

        public Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _observed);
            return inner.ObserveAsync(environment, cancellationToken);
        }

        // Start-up recovery's look, before any command: not one of a command's calls.
        public Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken) =>
            inner.ReconcileAsync(environment, cancellationToken);
    }
}
