using System.Collections.Concurrent;
using System.Threading.Channels;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// Decouples answering a platform (at once: 202, or Slack's 3-second rule) from running the command.
/// Bounded: when full, the endpoint says 503 rather than queueing without limit. Messages from one
/// person in one channel are handled in order; different people in parallel.
/// </summary>
public sealed class InboundQueue : BackgroundService
{
    private const int Capacity = 1000;
    private const int Parallelism = 8;

    private readonly Channel<object> _items = Channel.CreateBounded<object>(Capacity);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perSender = new();
    private readonly SemaphoreSlim _slots = new(Parallelism);
    private readonly ChatDispatcher _dispatcher;
    private readonly ReadinessGate _readiness;
    private readonly ILogger<InboundQueue> _logger;

    public InboundQueue(ChatDispatcher dispatcher, ReadinessGate readiness, ILogger<InboundQueue> logger)
    {
        _dispatcher = dispatcher;
        _readiness = readiness;
        _logger = logger;
    }

    public bool TryEnqueue(ChatRequest request) => _items.Writer.TryWrite(request);

    public bool TryEnqueue(ChatAction action) => _items.Writer.TryWrite(action);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _readiness.WaitAsync(stoppingToken);
        await foreach (var item in _items.Reader.ReadAllAsync(stoppingToken))
        {
            await _slots.WaitAsync(stoppingToken);
            _ = Task.Run(() => HandleAsync(item, stoppingToken), CancellationToken.None);
        }
    }

    private async Task HandleAsync(object item, CancellationToken stoppingToken)
    {
        var sender = item switch
        {
            ChatRequest r => $"{r.Destination}|{r.User.Key}",
            ChatAction a => $"{a.Destination}|{a.User.Key}",
            _ => "",
        };
        var gate = _perSender.GetOrAdd(sender, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(stoppingToken);
        try
        {
            await (item switch
            {
                ChatRequest request => _dispatcher.HandleAsync(request, stoppingToken),
                ChatAction action => _dispatcher.HandleAsync(action, stoppingToken),
                _ => Task.CompletedTask,
            });
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The dispatcher is the edge for one message: log it and go on with the next.
            Log.HandlingFailed(_logger, sender, e);
        }
        finally
        {
            gate.Release();
            _slots.Release();
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        foreach (var gate in _perSender.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }
}
