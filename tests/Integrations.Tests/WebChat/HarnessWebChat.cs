using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>The real web chat on an outbox harness's database, as the host shares one store between them.</summary>
internal static class HarnessWebChat
{
    public static (WebChatSender Sender, WebChatStore Store) Create(OutboxHarness harness)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var options = Options.Create(new WebChatOptions());
        var store = new WebChatStore(harness.Database, new WebChatFeed(), harness.Time, options);
        return (new WebChatSender(store, options), store);
    }
}
