using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// One caller's write waiting in the <see cref="WriteBatcher"/>: its work, and the task its caller awaits, completed only
/// once the transaction that carried the work is committed (or the work has failed).
/// </summary>
internal abstract class GroupedWrite
{
    private const int Waiting = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private int _state;
    private CancellationTokenRegistration _cancellation;

    protected GroupedWrite(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    /// <summary>Why the work failed in the shared transaction; its caller hears it once that transaction is over.</summary>
    protected Exception? Failure { get; private set; }

    /// <summary>Hooks up cancellation; called once the task exists, so an early cancellation finds something to cancel.</summary>
    protected void WatchCancellation() =>
        _cancellation = CancellationToken.Register(static state => ((GroupedWrite)state!).CancelWhileWaiting(), this);

    /// <summary>
    /// Takes the write into a transaction; false when its caller cancelled it first. Once started, the work runs
    /// to its end (it sees the same token), so a caller never hears "cancelled" for a row that was committed.
    /// </summary>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, Started, Waiting) != Waiting)
        {
            return false;
        }

        _cancellation.Dispose();
        return true;
    }

    public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>The work threw and was rolled back to its savepoint; the rest of the transaction goes on.</summary>
    public void Refuse(Exception exception) => Failure = exception;

    /// <summary>Forgets what a transaction that was not committed produced, before the work runs again alone.</summary>
    public void Reset()
    {
        Failure = null;
        ForgetResult();
    }

    /// <summary>The transaction that carried the work is committed: its caller hears the result, or its own failure.</summary>
    public void Finish()
    {
        if (Failure is { } failure)
        {
            Fail(failure);
        }
        else
        {
            Succeed();
        }
    }

    public void Fail(Exception exception)
    {
        if (exception is OperationCanceledException && CancellationToken.IsCancellationRequested)
        {
            SetCanceled(CancellationToken);
        }
        else
        {
            SetException(exception);
        }
    }

    protected abstract void Succeed();

    protected abstract void ForgetResult();

    protected abstract void SetCanceled(CancellationToken cancellationToken);

    protected abstract void SetException(Exception exception);

    private void CancelWhileWaiting()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            SetCanceled(CancellationToken);
        }
    }
}

/// <inheritdoc />
internal sealed class GroupedWrite<T> : GroupedWrite
{
    private readonly Func<DbConnection, DbTransaction, Task<T>> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public GroupedWrite(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _work = work;
        WatchCancellation();
    }

    public Task<T> Completion => _completion.Task;

    public override async Task RunAsync(DbConnection connection, DbTransaction transaction) =>
        _result = await _work(connection, transaction).ConfigureAwait(false);

    protected override void Succeed() => _completion.TrySetResult(_result!);

    protected override void ForgetResult() => _result = default;

    protected override void SetCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

    protected override void SetException(Exception exception) => _completion.TrySetException(exception);
}
