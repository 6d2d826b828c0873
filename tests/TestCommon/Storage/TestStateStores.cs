using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.TestCommon.Storage;

/// <summary>
/// A test's state stores by name: the same name gives the same store (a restarted bot's view of it), another name another
/// store (a SQLite file in <paramref name="root"/>, or a database of its own). All are dropped on dispose.
/// </summary>
public sealed class TestStateStores(string root) : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, TestStateStore> _stores = [];

    /// <summary>The store called <paramref name="name"/>, made on first use on <paramref name="provider"/> (<see cref="TestStateStore.DefaultProvider"/> when null).</summary>
    public async Task<TestStateStore> GetAsync(string name = "state.db", StorageProvider? provider = null)
    {
        if (!_stores.TryGetValue(name, out var store))
        {
            store = await TestStateStore.CreateAsync(root, provider, name);
            _stores[name] = store;
        }

        return store;
    }

    /// <summary>A new <see cref="StateDatabase"/> over the store called <paramref name="name"/>, as one process start would make it.</summary>
    public async Task<StateDatabase> OpenAsync(IStateSchema[] schemas, string name = "state.db", StorageProvider? provider = null, TimeProvider? time = null)
    {
        var store = await GetAsync(name, provider);
        return new StateDatabase(Options.Create(store.Options()), schemas, new TestHostEnvironment(root), timeProvider: time);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
