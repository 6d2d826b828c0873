using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>The registered compute providers by name; two with one name fail at start-up.</summary>
public sealed class ComputeProviders
{
    private readonly Dictionary<string, IComputeProvider> _byName;

    public ComputeProviders(IEnumerable<IComputeProvider> providers)
    {
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            if (!_byName.TryAdd(provider.Name, provider))
            {
                throw new InvalidOperationException($"Two compute providers are named '{provider.Name}'.");
            }
        }
    }

    public IComputeProvider? Find(string name) => _byName.GetValueOrDefault(name);

    public IComputeProvider Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No compute provider is named '{name}'. Known: {string.Join(", ", _byName.Keys)}.");
}
