using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// Starts programs with an argument list (never a shell string), streams their output lines and
/// stops their whole process tree on cancellation or timeout. Shared by every provider that runs
/// programs: long-lived nodes use <see cref="Start"/>, one-shot commands <see cref="RunAsync"/>.
/// </summary>
internal sealed class ProcessLauncher(TimeProvider timeProvider, ILogger<ProcessLauncher> logger)
{
    // Each program gets its own session (and so its own process group) so the whole group can be
    // signalled on cancel, even descendants whose parent has already exited. setsid only calls
    // setsid(2) and execs in place, so the pid we see is the program's own.
    private static readonly Lazy<string?> SetSid = new(() => OperatingSystem.IsLinux() ? ExecutableResolver.Find("setsid") : null);

    /// <summary>
    /// Starts <paramref name="spec"/>. Throws <see cref="ProgramNotFoundException"/> when the program
    /// does not exist and <see cref="ProcessException"/> when the system refuses to start it.
    /// </summary>
    public ChildProcess Start(ProcessSpec spec, Action<OutputLine>? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = spec.Environment.TryGetValue("PATH", out var overridden) ? overridden : null;
        var program = ExecutableResolver.Find(spec.Program, spec.WorkingDirectory, path)
            ?? throw new ProgramNotFoundException(spec.Program, ExecutableResolver.SearchedPlaces(spec.Program, spec.WorkingDirectory, path));
        if (spec.WorkingDirectory is not null && !Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessException($"Working directory '{spec.WorkingDirectory}' for '{spec.Program}' does not exist.");
        }

        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        if (SetSid.Value is { } setsid)
        {
            startInfo.FileName = setsid;
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }
        else
        {
            startInfo.FileName = program;
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ProcessException($"'{spec.Program}' could not be started: {ex.Message}", inner: ex);
        }

        // Programs that prompt must not wait for an answer that will never come.
        process.StandardInput.Close();
        Log.ProcessStarted(logger, spec.DisplayName, process.Id);
        return new ChildProcess(process, spec, onLine, timeProvider, logger);
    }

    /// <summary>
    /// Runs <paramref name="spec"/> to its end and returns its exit code and last lines; a non-zero exit
    /// is a result, not an exception. On timeout the tree is killed and <see cref="ProcessTimedOutException"/>
    /// thrown; on cancellation the tree is killed and <see cref="OperationCanceledException"/> thrown.
    /// </summary>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeout, Action<OutputLine>? onLine, CancellationToken cancellationToken)
    {
        await using var child = Start(spec, onLine);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var exitCode = await child.WaitForExitAsync(linked.Token);
            return new ProcessResult(exitCode, child.LastLines);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            child.KillTree();
            Log.ProcessTimedOut(logger, spec.DisplayName, child.Id, timeout);
            throw new ProcessTimedOutException(spec.DisplayName, timeout, child.LastLines);
        }
        catch (OperationCanceledException)
        {
            child.KillTree();
            throw;
        }
    }
}
