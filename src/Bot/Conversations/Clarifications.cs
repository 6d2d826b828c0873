using System.Collections.Concurrent;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// Commands waiting for one missing argument ("Which environment?"), per person and channel. The
/// next message completes them. Held in memory: a question outliving a restart is simply asked again.
/// </summary>
public sealed class Clarifications(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (string Text, DateTimeOffset At)> _pending = new();

    public void Ask(string key, string text)
    {
        _pending[key] = (text, time.GetUtcNow());
        foreach (var stale in _pending.Where(p => time.GetUtcNow() - p.Value.At > Lifetime).Select(p => p.Key).ToList())
        {
            _pending.TryRemove(stale, out _);
        }
    }

    public string? Take(string key) =>
        _pending.TryRemove(key, out var pending) && time.GetUtcNow() - pending.At <= Lifetime ? pending.Text : null;
}
