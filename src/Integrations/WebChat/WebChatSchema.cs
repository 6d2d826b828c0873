using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.WebChat;

internal sealed class WebChatSchema : IStateSchema
{
    public IEnumerable<string> Statements =>
    [
        """
        CREATE TABLE IF NOT EXISTS webchat_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            user TEXT NOT NULL,
            text TEXT NOT NULL,
            buttons TEXT NOT NULL,
            context TEXT NOT NULL,
            image BLOB NULL,
            image_alt TEXT NULL,
            thread_of INTEGER NULL,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS ix_webchat_channel ON webchat_messages (channel, seq)",
        "CREATE INDEX IF NOT EXISTS ix_webchat_thread ON webchat_messages (thread_of, seq)",
    ];
}
