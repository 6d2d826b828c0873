using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// A started program whose output is read line by line as it comes. Disposing it while the program
/// still runs kills its whole tree, so an abandoned run never leaves processes behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>
    /// After the program exits, how long to wait for the rest of its output: a grandchild that outlives
    /// it may hold the pipe open forever, and such a straggler must not hold up the run.
    /// </summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly OutputTail _tail;
    private readonly Action<OutputLine>? _onLine;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Task _readers;
    private int _killed;

    internal ChildProcess(Process process, ProcessSpec spec, Action<OutputLine>? onLine, TimeProvider timeProvider, ILogger logger)
    {
        _process = process;
        _tail = new OutputTail(spec.KeepLines);
        _onLine = onLine;
        _timeProvider = timeProvider;
        _logger = logger;
        Spec = spec;
        Id = process.Id;
        _readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, OutputStream.StandardOutput),
            PumpAsync(process.StandardError, OutputStream.StandardError));
    }

    public ProcessSpec Spec { get; }

    /// <summary>The operating system's process id, for pid files and for <see cref="ProcessTree.Kill"/> after a restart.</summary>
    public int Id { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines of stdout and stderr, interleaved as they arrived; error lines are kept longest.</summary>
    public IReadOnlyList<string> LastLines => _tail.Snapshot();

    /// <summary>Waits for the program to exit and for its output to be read; returns the exit code.</summary>
    /// <remarks>Cancelling the wait does not stop the program: callers decide, usually with <see cref="KillTree"/>.</remarks>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        try
        {
            await _readers.WaitAsync(DrainGrace, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.OutputStillOpen(_logger, Spec.DisplayName, Id);
        }

        var exitCode = _process.ExitCode;
        Log.ProcessExited(_logger, Spec.DisplayName, Id, exitCode);
        return exitCode;
    }

    /// <summary>Kills the program and every process it started. Safe to call more than once.</summary>
    public void KillTree()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1)
        {
            return;
        }

        Log.KillingTree(_logger, Spec.DisplayName, Id);
        ProcessTree.Kill(Id);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillTree();
            try
            {
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(DrainGrace, _timeProvider);
            }
            catch (TimeoutException)
            {
                Log.OutputStillOpen(_logger, Spec.DisplayName, Id);
            }
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, OutputStream stream)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var output = new OutputLine(stream, line);
                _tail.Add(output);
                _onLine?.Invoke(output);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke because the process was killed; what was read is kept.
        }
    }
}
