using System.Text.Json;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>Stores an <see cref="OutgoingMessage"/> as JSON so a restart sends exactly what was enqueued.</summary>
internal static class OutboxMessageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(OutgoingMessage message) => JsonSerializer.Serialize(message, Options);

    public static OutgoingMessage Deserialize(string json) =>
        JsonSerializer.Deserialize<OutgoingMessage>(json, Options) ?? throw new InvalidOperationException("An outbox row holds an empty message.");
}
