using System.Diagnostics;
using Xunit;

namespace ChatOps.TestCommon;

/// <summary>
/// Bounded waits for what another thread, process or peer will do, with one default bound: a test
/// whose awaited thing never comes fails with the name of what it waited for instead of hanging the
/// run. The bound is on the real clock and only turns a hang into a failure;
/// no test asserts on how long anything took.
/// </summary>
public static class Wait
{
    /// <summary>Long enough for a loaded two-core machine, short enough that a hang fails within the run.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? within = null, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), what, within, lastSeen);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await PollAsync(async () => (await condition(), true), what, within, lastSeen);
    }

    /// <summary>Polls <paramref name="probe"/> until it finds something, and returns it.</summary>
    public static Task<T> ForAsync<T>(Func<T?> probe, string what, TimeSpan? within = null, Func<string>? lastSeen = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        return ForAsync(() => Task.FromResult(probe()), what, within, lastSeen);
    }

    /// <summary>Polls <paramref name="probe"/> until it finds something, and returns it.</summary>
    public static Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null, Func<string>? lastSeen = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        return PollAsync(async () => await probe() is { } found ? (true, found) : (false, null!), what, within, lastSeen);
    }

    private static async Task<T> PollAsync<T>(Func<Task<(bool Found, T Value)>> probe, string what, TimeSpan? within, Func<string>? lastSeen)
    {
        var bound = within ?? DefaultBound;
        var cancellationToken = TestContext.Current.CancellationToken;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var (found, value) = await probe();
            if (found)
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= bound)
            {
                throw GaveUp(what, bound, lastSeen);
            }

            await Task.Delay(PollInterval, TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>Awaits <paramref name="task"/> (a signal, a peer's request, a process's exit) for at most the bound.</summary>
    public static async Task ForAsync(Task task, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var bound = within ?? DefaultBound;
        try
        {
            await task.WaitAsync(bound, TimeProvider.System, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw GaveUp(what, bound, lastSeen: null);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most the bound and returns its result.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? within = null)
    {
        await ForAsync((Task)task, what, within);
        return await task;
    }

    /// <summary>
    /// Waits for a child process to exit; one that is still running at the bound is killed with its
    /// children, so a stuck process fails the test without outliving it.
    /// </summary>
    public static async Task ForExitAsync(Process process, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            await ForAsync(process.WaitForExitAsync(TestContext.Current.CancellationToken), what, within);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static TimeoutException GaveUp(string what, TimeSpan bound, Func<string>? lastSeen)
    {
        var message = $"Gave up after {bound.TotalSeconds:0.#} s waiting for {what}.";
        return new TimeoutException(lastSeen is null ? message : $"{message} Last seen:\n{lastSeen()}");
    }
}
