using System.Collections.Concurrent;
using ChatOps.Integrations.Teams;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Graph;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>Builds the Teams services the way the host does, through <c>AddTeams</c>, pointed at a <see cref="ConnectorPeer"/>.</summary>
internal static class TeamsTestServices
{
    public static ServiceProvider Create(
        ConnectorPeer peer, TeamsConversationsInMemory conversations, TimeProvider? timeProvider = null, IDictionary<string, string?>? settings = null, GraphPeer? graph = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Teams:AppId"] = ConnectorPeer.AppId,
            ["Teams:AppPassword"] = ConnectorPeer.AppPassword,
            ["Teams:TenantId"] = ConnectorPeer.TenantId,
            ["Teams:TokenEndpoint"] = peer.TokenEndpoint.ToString(),
        };
        if (graph is not null)
        {
            values["Teams:GraphBaseUrl"] = graph.BaseUrl.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // The fake collector lets a test count what was logged; the xunit provider shows it.
        services.AddLogging(l => l.AddProvider(new XunitLoggerProvider()).SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        // AddTeams brings the state store (the inbound side's conversation table); these tests never open it.
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        // The conversation store is the inbound side's; these tests hold the references it would have learnt.
        services.AddSingleton<ITeamsConversations>(conversations);
        // AddTeams also registers the inbound side, whose state store asks where the host lives; nothing here opens it.
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        services.AddTeams();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>Conversation references as the inbound side keeps them, held in memory for tests of the sending side.</summary>
internal sealed class TeamsConversationsInMemory : ITeamsConversations
{
    private readonly ConcurrentDictionary<string, TeamsConversationReference> _references = new(StringComparer.Ordinal);

    public TeamsConversationsInMemory Add(ConnectorPeer peer, string conversationId, string? botName = "ChatOps", string? type = "channel", string? teamId = null)
    {
        _references[conversationId] = new TeamsConversationReference(conversationId, peer.ServiceUrl, ConnectorPeer.TenantId, ConnectorPeer.BotId, botName, type, teamId);
        return this;
    }

    public Task RememberAsync(TeamsConversationReference reference, CancellationToken cancellationToken)
    {
        _references[reference.ConversationId] = reference;
        return Task.CompletedTask;
    }

    public Task<TeamsConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_references.GetValueOrDefault(conversationId));
}
