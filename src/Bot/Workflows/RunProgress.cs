using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>A run's progress as its workflow reports it, with the steps planned when the run was requested.</summary>
internal interface IRunProgress : IProviderProgress
{
    /// <summary>The planned steps, in order: made once at the request and carried in the run, never planned again.</summary>
    IReadOnlyList<string> Plan { get; }
}

/// <summary>
/// Collects what a provider reports while it runs. Cheap and thread-safe: the executor reads a
/// snapshot on its own schedule to save and edit the message, so a chatty provider never waits on I/O.
/// </summary>
internal sealed class RunProgress(IReadOnlyList<RunStep> plan, TimeProvider time, int tailLines) : IRunProgress
{
    private readonly Lock _gate = new();
    private readonly RunStep[] _steps = [.. plan];
    private readonly Queue<string> _tail = new();
    private readonly List<string> _unsent = [];
    private int _version;

    public IReadOnlyList<string> Plan { get; } = [.. plan.Select(s => s.Name)];

    public void Step(int index, StepState state, string? detail = null)
    {
        lock (_gate)
        {
            if (index < 0 || index >= _steps.Length)
            {
                return;
            }

            var now = time.GetUtcNow();
            var step = _steps[index];
            _steps[index] = step with
            {
                State = state,
                Detail = detail ?? step.Detail,
                StartedAt = step.StartedAt ?? now,
                EndedAt = state is StepState.Succeeded or StepState.Failed or StepState.Skipped ? now : null,
            };
            _version++;
        }
    }

    public void Output(string line)
    {
        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > tailLines)
            {
                _tail.Dequeue();
            }

            _unsent.Add(line);
            _version++;
        }
    }

    /// <summary>Marks the running step failed, for a provider that threw without saying which step.</summary>
    public void FailRunningStep(string detail)
    {
        lock (_gate)
        {
            var index = Array.FindIndex(_steps, s => s.State == StepState.Running);
            if (index >= 0)
            {
                _steps[index] = _steps[index] with { State = StepState.Failed, Detail = detail, EndedAt = time.GetUtcNow() };
                _version++;
            }
        }
    }

    public (int Version, IReadOnlyList<RunStep> Steps, IReadOnlyList<string> Tail) Snapshot()
    {
        lock (_gate)
        {
            return (_version, [.. _steps], [.. _tail]);
        }
    }

    /// <summary>Puts lines whose post was cancelled back in front, so the final flush still sends them.</summary>
    public void ReturnUnsent(IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            _unsent.InsertRange(0, lines);
        }
    }

    /// <summary>Output lines not yet posted to the run's thread.</summary>
    public IReadOnlyList<string> TakeUnsent()
    {
        lock (_gate)
        {
            var lines = _unsent.ToList();
            _unsent.Clear();
            return lines;
        }
    }
}
