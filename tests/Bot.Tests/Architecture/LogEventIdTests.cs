using System.Reflection;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator;
using Microsoft.Extensions.Logging;

namespace ChatOps.Bot.Tests.Architecture;

/// <summary>
/// A log event id names one message: dashboards and alert rules filter on it, so two messages of one
/// project under the same id would be counted as one. The logging generator checks this within one
/// <c>Log</c> class only; each feature folder has its own, so this checks across them.
/// </summary>
public sealed class LogEventIdTests
{
    public static TheoryData<string> Assemblies => [.. Projects.Keys];

    private static readonly Dictionary<string, Assembly> Projects = new()
    {
        ["Bot"] = typeof(BotRunner).Assembly,
        ["Radiator"] = typeof(RadiatorOptions).Assembly,
        ["Integrations"] = typeof(StateDatabase).Assembly,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void LoggerMessages_OfOneProject_HaveDistinctEventIds(string project)
    {
        var messages = Projects[project].GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" and ", g.Select(m => $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}"))}")
            .ToList();

        Assert.NotEmpty(messages);
        Assert.True(shared.Count == 0, $"{project} logs different messages under one event id:\n{string.Join('\n', shared)}");
    }
}
