using ChatOps.Integrations;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>The registered compute providers by name; two with one name fail at start-up.</summary>
internal sealed class ComputeProviders(IEnumerable<IComputeProvider> providers) : NamedRegistry<IComputeProvider>(providers, p => p.Name, "compute provider");
