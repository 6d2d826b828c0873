using System.Diagnostics;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// The request/response scenarios: a POST to the bare endpoint until its 202, and a command to the
/// Bot until its first reply on the event stream (with the Bot's own 202 recorded on the way).
/// Each measured loop follows a discarded warm-up of the same shape. With several replicas, client <c>i</c> posts to
/// replica <c>i mod n</c> and waits for its reply on that replica's stream, as a page behind a balancer would.
/// </summary>
public sealed class Scenarios(BenchSettings settings, IReadOnlyList<BotEndpoint> replicas, ChatClient bare)
{
    public const string BotTarget = "Bot (separate process)";
    public const string BareTarget = "bare Kestrel (ceiling)";

    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The user client <paramref name="client"/> posts as. Help is answered to its asker alone, so the
    /// sequential rows ask as client 0 and the event stream is opened as that user.
    /// </summary>
    public static string Asker(int client) => $"load{client + 1}";

    /// <summary>The replica client <paramref name="client"/> talks to.</summary>
    public BotEndpoint ReplicaOf(int client) => replicas[client % replicas.Count];

    public async Task<Measurement> BareAsync(int clients, int perClient, CancellationToken cancellationToken)
    {
        async Task<TimeSpan[]> OnceAsync(int client, CancellationToken token)
        {
            var started = Stopwatch.GetTimestamp();
            var (_, acceptedAt) = await bare.PostAsync("ops", Asker(client), "/env status test", token);
            return [Stopwatch.GetElapsedTime(started, acceptedAt)];
        }

        await LoadLoop.RunAsync(clients, settings.Warmup, settings.ScenarioCap, 1, OnceAsync, cancellationToken);
        var (latencies, elapsed, failures) = await LoadLoop.RunAsync(clients, perClient, settings.ScenarioCap, 1, OnceAsync, cancellationToken);
        return new Measurement(BareTarget, "POST → 202", clients, latencies[0], elapsed, failures);
    }

    /// <summary>
    /// Acknowledgements alone: each client posts as fast as the Bot answers 202, without waiting for the reply, the rate a
    /// platform's retries or a burst of people would meet. Then waits until every post is answered, so the next loop
    /// starts from an empty inbox (the drain is not measured).
    /// </summary>
    public async Task<Measurement> AcksAsync(string text, IReadOnlyList<string> channels, int perClient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var firstIds = new string?[channels.Count];
        var accepted = new int[channels.Count];

        async Task<TimeSpan[]> OnceAsync(int client, CancellationToken token)
        {
            var started = Stopwatch.GetTimestamp();
            var (id, acceptedAt) = await ReplicaOf(client).Chat.PostAsync(channels[client], Asker(client), text, token);
            firstIds[client] ??= id;
            accepted[client]++;
            return [Stopwatch.GetElapsedTime(started, acceptedAt)];
        }

        var (latencies, elapsed, failures) = await LoadLoop.RunAsync(channels.Count, perClient, settings.ScenarioCap, 1, OnceAsync, cancellationToken);
        // Every answer is stored after the post it answers, so all of a channel's answers come after its first post.
        await Task.WhenAll(channels.Select((channel, client) => firstIds[client] is { } first
            ? ReplicaOf(client).Stream.UntilCountAsync(channel, first, accepted[client], DrainLimit, cancellationToken)
            : Task.CompletedTask));
        return new Measurement(BotTarget, $"`{text}`: POST → 202 only", channels.Count, latencies[0], elapsed, failures);
    }

    /// <summary>
    /// Each client posts as its own user in its own channel, so the next bot message there after
    /// its post is its answer; <paramref name="expected"/> checks that it is the right answer.
    /// </summary>
    public async Task<Measurement[]> CommandAsync(string text, string expected, IReadOnlyList<string> channels, int perClient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);

        async Task<TimeSpan[]> OnceAsync(int client, CancellationToken token)
        {
            var channel = channels[client];
            var started = Stopwatch.GetTimestamp();
            var replica = ReplicaOf(client);
            var (id, acceptedAt) = await replica.Chat.PostAsync(channel, Asker(client), text, token);
            var reply = await replica.Stream.NextAsync(channel, id, _ => true, ReplyLimit, token);
            if (!reply.Text.Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"`{text}` in #{channel} was answered with: {reply.Text}");
            }

            return [Stopwatch.GetElapsedTime(started, acceptedAt), Stopwatch.GetElapsedTime(started, reply.ArrivedAt)];
        }

        var clients = channels.Count;
        await LoadLoop.RunAsync(clients, settings.Warmup, settings.ScenarioCap, 2, OnceAsync, cancellationToken);
        var (latencies, elapsed, failures) = await LoadLoop.RunAsync(clients, perClient, settings.ScenarioCap, 2, OnceAsync, cancellationToken);
        return
        [
            new Measurement(BotTarget, $"`{text}`: POST → 202", clients, latencies[0], elapsed, failures),
            new Measurement(BotTarget, $"`{text}`: POST → first reply", clients, latencies[1], elapsed, failures),
        ];
    }
}

/// <summary>One replica as the clients reach it: its chat API and its event stream.</summary>
public sealed record BotEndpoint(ChatClient Chat, ChatStream Stream);
