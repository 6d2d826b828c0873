namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>Keeps the last N lines of a program's output, thread-safe, for failure reports.</summary>
public sealed class OutputTail(int capacity)
{
    private readonly Queue<string> _lines = new(Math.Max(1, capacity));
    private readonly Lock _gate = new();
    private readonly int _capacity = Math.Max(1, capacity);

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
