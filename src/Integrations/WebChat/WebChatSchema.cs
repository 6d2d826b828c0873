using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// The web chat's messages. Delivery keys live in their own table rather than a column of
/// <c>webchat_messages</c> because they came before versioned migrations, when a new table was the one change
/// an existing database could be given; a later change is a new migration.
/// </summary>
internal sealed class WebChatSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(2, "web chat messages",
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
            """
            CREATE TABLE IF NOT EXISTS webchat_delivery_keys (
                delivery_key TEXT PRIMARY KEY,
                seq INTEGER NOT NULL UNIQUE)
            """,
            "CREATE TABLE IF NOT EXISTS webchat_id_key (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL)",
            // The key of message ids' tags (WebChatMessageIds), one per database: INSERT OR IGNORE keeps the key of a
            // database adopted from before versioning, so ids handed out stay valid.
            $"INSERT OR IGNORE INTO webchat_id_key (id, key) VALUES (1, X'{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}')",
        ])
        {
            AddedColumns =
            [
                // The one person who sees a message (help, refusals), lower-cased; null for everyone. Older databases gain it empty.
                new("webchat_messages", "visible_to", "TEXT NULL"),
            ],
        },
        // Every post and edit takes the next revision, in commit order, so each replica's live stream can follow the
        // table (WebChatTail) and a page on any replica sees what every replica posted. Rows from before keep none.
        new(20, "web chat revisions",
        [
            "ALTER TABLE webchat_messages ADD COLUMN revision BIGINT NULL",
            "CREATE UNIQUE INDEX IF NOT EXISTS ix_webchat_revision ON webchat_messages (revision)",
        ]),
    ];
}
