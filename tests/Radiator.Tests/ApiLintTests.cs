using System.Reflection;

namespace ChatOps.Radiator.Tests;

public sealed class ApiLintTests
{
    [Fact]
    public void PublicAsyncMethods_TakeCancellationTokenLast()
    {
        var offenders = typeof(RadiatorOptions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) && !m.IsSpecialName)
            .Where(m => m.GetBaseDefinition().DeclaringType is not { } d || d.Assembly == typeof(RadiatorOptions).Assembly) // hosting overrides keep their own shape
            .Where(m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void PublicAsyncMethods_AreNamedAsync()
    {
        var offenders = typeof(RadiatorOptions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) && !m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.Empty(offenders);
    }
}
