namespace ChatOps.Integrations;

/// <summary>
/// Services of one kind by name (case-insensitive), built once at start-up from what is registered. Two
/// services claiming one name are refused at once, naming both, rather than one silently shadowing the other.
/// </summary>
/// <typeparam name="T">The kind of service: a command, a workflow, a compute provider, a chat sender.</typeparam>
public class NamedRegistry<T>
    where T : notnull
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _kind;

    /// <param name="items">Every registered service.</param>
    /// <param name="namesOf">The names each service answers to (most have one).</param>
    /// <param name="kind">What the services are, for messages: "compute provider", "chat sender".</param>
    public NamedRegistry(IEnumerable<T> items, Func<T, IEnumerable<string>> namesOf, string kind)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(namesOf);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        _kind = kind;
        foreach (var item in items)
        {
            foreach (var name in namesOf(item))
            {
                if (!_byName.TryAdd(name, item))
                {
                    throw new InvalidOperationException(
                        $"Two {kind}s are named '{name}': {Describe(_byName[name])} and {Describe(item)}. Each name must belong to one {kind}.");
                }
            }
        }
    }

    /// <inheritdoc cref="NamedRegistry{T}(IEnumerable{T}, Func{T, IEnumerable{string}}, string)"/>
    public NamedRegistry(IEnumerable<T> items, Func<T, string> nameOf, string kind)
        : this(items, item => [nameOf(item)], kind)
    {
    }

    /// <summary>Every name, in registration order.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>Every service once, in registration order.</summary>
    public IEnumerable<T> All => _byName.Values.Distinct();

    public T? Find(string name) => _byName.GetValueOrDefault(name);

    public bool TryGet(string name, out T item) => _byName.TryGetValue(name, out item!);

    /// <summary>The service named <paramref name="name"/>; a name nothing answers to is a configuration mistake, said with the names known.</summary>
    public T Get(string name) =>
        _byName.TryGetValue(name, out var item)
            ? item
            : throw new InvalidOperationException($"No {_kind} is named '{name}'. Known: {string.Join(", ", _byName.Keys)}.");

    private static string Describe(T item) => item.GetType().Name;
}
