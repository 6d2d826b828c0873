using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.TestCommon.Storage;

/// <summary>
/// A test's state stores by name: the same name gives the same store (a restarted bot's view of it), another name another
/// store (a SQLite file in <paramref name="root"/>, or a database of its own). All are dropped on dispose.
/// </summary>
public sealed class TestStateStores(string root) : IAsyncDisposable, IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TestStateStores> ByFolder = new(StringComparer.Ordinal);

    private readonly Dictionary<string, TestStateStore> _stores = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// The stores of the folder <paramref name="folder"/>, for fixtures that name their state by folder (the same folder
    /// again is a restart over the same state). Whoever deletes the folder disposes them.
    /// </summary>
    public static TestStateStores Of(string folder) => ByFolder.GetOrAdd(Path.GetFullPath(folder), f => new TestStateStores(f));

    /// <summary>The store called <paramref name="name"/>, made on first use on <paramref name="provider"/> (<see cref="TestStateStore.DefaultProvider"/> when null).</summary>
    public async Task<TestStateStore> GetAsync(string name = "state.db", StorageProvider? provider = null)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_stores.TryGetValue(name, out var store))
            {
                store = await TestStateStore.CreateAsync(root, provider, name);
                _stores[name] = store;
            }

            return store;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new <see cref="StateDatabase"/> over the store called <paramref name="name"/>, as one process start would make it.</summary>
    public async Task<StateDatabase> OpenAsync(IStateSchema[] schemas, string name = "state.db", StorageProvider? provider = null, TimeProvider? time = null)
    {
        var store = await GetAsync(name, provider);
        return new StateDatabase(Options.Create(store.Options()), schemas, new TestHostEnvironment(root), timeProvider: time);
    }

    public async ValueTask DisposeAsync()
    {
        ByFolder.TryRemove(new KeyValuePair<string, TestStateStores>(Path.GetFullPath(root), this));
        foreach (var store in _stores.Values)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
