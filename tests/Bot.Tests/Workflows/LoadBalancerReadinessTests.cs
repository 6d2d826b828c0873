using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class LoadBalancerReadinessTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedLoadBalancer _loadBalancer = new();

    private LoadBalancerReadiness CreateSut() =>
        new(_loadBalancer, Options.Create(new WorkflowOptions { LoadBalancerReadyTimeout = TimeSpan.FromSeconds(10) }), _time);

    [Fact]
    public async Task WaitUntilUpAsync_ServersComeUp_ReturnsOnceAllAreUp()
    {
        _loadBalancer.Script.Enqueue([new("web1", 100, "UP"), new("web2", 100, "DOWN")]);
        _loadBalancer.Script.Enqueue([new("web1", 100, "UP"), new("web2", 100, "DOWN")]);
        _loadBalancer.Script.Enqueue([new("web1", 100, "UP"), new("web2", 100, "UP")]);

        await DriveAsync(CreateSut().WaitUntilUpAsync("test", ["web1", "web2"], TestContext.Current.CancellationToken));

        Assert.Equal(3, _loadBalancer.Polls);
    }

    [Fact]
    public async Task WaitUntilUpAsync_ServerStaysDown_FailsNamingItAfterTheTimeout()
    {
        _loadBalancer.Script.Enqueue([new("web1", 100, "UP"), new("web2", 100, "DOWN")]);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => DriveAsync(CreateSut().WaitUntilUpAsync("test", ["web1", "web2", "web3"], TestContext.Current.CancellationToken)));

        Assert.Equal("The load balancer did not report web2 (DOWN), web3 (missing) UP within 10 seconds, so traffic does not reach them.", ex.Message);
    }

    [Fact]
    public async Task WaitUntilUpAsync_NoServers_DoesNotAsk()
    {
        await CreateSut().WaitUntilUpAsync("test", [], TestContext.Current.CancellationToken);

        Assert.Equal(0, _loadBalancer.Polls);
    }

    [Fact]
    public async Task WaitUntilUpAsync_Cancelled_Stops()
    {
        _loadBalancer.Script.Enqueue([new("web1", 100, "DOWN")]);
        using var cancellation = new CancellationTokenSource();
        var waiting = CreateSut().WaitUntilUpAsync("test", ["web1"], cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    /// <summary>Moves the clock a poll at a time until the wait ends; bounded, so a wait that never ends fails the test.</summary>
    private async Task DriveAsync(Task waiting)
    {
        await Wait.UntilAsync(
            () =>
            {
                if (!waiting.IsCompleted)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(250));
                }

                return waiting.IsCompleted;
            },
            "the readiness wait to end");
        await waiting;
    }

    /// <summary>Reports the scripted server states in turn, the last one for ever.</summary>
    private sealed class ScriptedLoadBalancer : ILoadBalancer
    {
        private IReadOnlyList<LoadBalancerServer> _last = [];

        public Queue<IReadOnlyList<LoadBalancerServer>> Script { get; } = new();

        public int Polls { get; private set; }

        public Task<LoadBalancerStatus> GetStatusAsync(string environment, CancellationToken cancellationToken)
        {
            Polls++;
            _last = Script.TryDequeue(out var next) ? next : _last;
            return Task.FromResult(new LoadBalancerStatus(null, _last, false, null));
        }

        public Task<LoadBalancerAvailability> CheckAvailabilityAsync(string environment, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetWeightsAsync(string environment, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetSorryAsync(string environment, bool on, string? message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddServerAsync(string environment, string server, Uri address, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveServerAsync(string environment, string server, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
