namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// Keeps the last N lines of a program's output, thread-safe, for failure reports. When full, the
/// oldest standard-output line gives way before any error line: stdout and stderr are separate pipes
/// read at their own pace, so the error that explains a failure can arrive before a burst of ordinary
/// output and must not be pushed out by it.
/// </summary>
internal sealed class OutputTail(int capacity)
{
    private readonly LinkedList<OutputLine> _lines = [];
    private readonly Lock _gate = new();
    private readonly int _capacity = Math.Max(1, capacity);

    public void Add(string line) => Add(new OutputLine(OutputStream.StandardOutput, line));

    public void Add(OutputLine line)
    {
        lock (_gate)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Remove(OldestOrdinaryLine() ?? _lines.First!);
            }

            _lines.AddLast(line);
        }
    }

    /// <summary>The kept lines in the order they were read.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines.Select(l => l.Text)];
        }
    }

    private LinkedListNode<OutputLine>? OldestOrdinaryLine()
    {
        for (var node = _lines.First; node is not null; node = node.Next)
        {
            if (node.Value.Stream == OutputStream.StandardOutput)
            {
                return node;
            }
        }

        return null;
    }
}
