using System.Data.Common;
using System.Text.Json;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// The web chat's messages, kept in the state store so that the bot can still edit its progress
/// messages after a restart. Message ids are <c>m{sequence}-{tag}</c> (see <see cref="WebChatMessageIds"/>).
/// </summary>
public sealed class WebChatStore(StateDatabase database, WebChatFeed feed, TimeProvider time, IOptions<WebChatOptions> options)
{
    /// <summary>Notified when a message is posted or edited, so every replica's <see cref="WebChatTail"/> reads it (on PostgreSQL; on SQLite they poll).</summary>
    public const string NotifyChannel = "chatops_webchat";

    private const string Columns = "seq, channel, \"user\", text, buttons, context, thread_of, version, created_at, updated_at, image IS NOT NULL, visible_to";

    // Writers are serialised (the write lock), so each post or edit takes a revision above every committed one.
    private const string NextRevision = "(SELECT coalesce(max(revision), 0) + 1 FROM webchat_messages)";

    // A message meant for one person is listed to that person only.
    private const string VisibleToViewer = "(visible_to IS NULL OR visible_to = @viewer)";

    /// <summary>
    /// The replies to a channel's messages from <c>@first</c> on. A reply comes after what it replies to (seq &gt; thread_of),
    /// so the channel's index is read from the first message listed, not through the channel's whole history.
    /// </summary>
    internal const string RepliesSince =
        $"SELECT {Columns} FROM webchat_messages WHERE channel = @channel AND seq > @first AND thread_of >= @first AND {VisibleToViewer} ORDER BY seq";

    private WebChatMessageIds? _ids;

    public bool IsChannel(string channel) =>
        options.Value.EffectiveChannels.Contains(channel, StringComparer.Ordinal);

    /// <summary>
    /// The form a web chat name is kept in for <see cref="OutgoingMessage.VisibleTo"/>: lower-cased, as the
    /// web chat's names are case-insensitive (one identity, as the bot's principal ids have it). Null stays null.
    /// </summary>
    public static string? Viewer(string? name) => name?.Trim().ToLowerInvariant();

    /// <summary>
    /// Adds a message. A message carrying a <see cref="OutgoingMessage.DeliveryKey"/> already posted is not
    /// added again: the earlier one is returned unchanged, in the same transaction that would have added it,
    /// so a post retried after a crash shows once.
    /// </summary>
    public async Task<WebChatMessage> PostAsync(string channel, string user, OutgoingMessage message, string? threadOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = await IdsAsync(cancellationToken);
        long? parent = threadOf is null ? null : ParseOwnId(ids, threadOf);
        return (await PostAllAsync(ids, channel, user, [(message, parent)], cancellationToken))[0];
    }

    /// <summary>
    /// As <see cref="PostAsync"/>, inside the caller's transaction (the outbox's, which queues it as sent); returns the
    /// message's id. The live feed hears of it through <see cref="Changed"/> once the caller committed.
    /// </summary>
    public async Task<string> PostInAsync(DbConnection connection, DbTransaction transaction, string channel, string user, OutgoingMessage message,
        string? threadOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = await IdsAsync(connection, transaction, cancellationToken);
        var (seq, added) = await AddAsync(connection, transaction, ids, channel, user, message, threadOf is null ? null : ParseOwnId(ids, threadOf), cancellationToken);
        if (added is not null)
        {
            await database.NotifyAsync(connection, transaction, NotifyChannel, cancellationToken);
        }

        return ids.Format(seq);
    }

    /// <summary>Wakes this replica's live streams after a commit that stored messages (<see cref="PostInAsync"/>).</summary>
    public void Changed() => feed.Changed();

    /// <summary>
    /// Adds several top-level messages to <paramref name="channel"/> in one transaction, in the order given, each as
    /// <see cref="PostAsync"/> would (one whose delivery key was posted before is returned as it is shown).
    /// </summary>
    public async Task<IReadOnlyList<WebChatMessage>> PostAllAsync(string channel, string user, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ids = await IdsAsync(cancellationToken);
        return await PostAllAsync(ids, channel, user, [.. messages.Select(m => (m, (long?)null))], cancellationToken);
    }

    private async Task<IReadOnlyList<WebChatMessage>> PostAllAsync(WebChatMessageIds ids, string channel, string user, IReadOnlyList<(OutgoingMessage Message, long? Parent)> posts,
        CancellationToken cancellationToken)
    {
        var stored = await database.WriteGroupedAsync(async (c, t) =>
        {
            var results = new List<(long Seq, WebChatMessage? Added)>(posts.Count);
            foreach (var (message, parent) in posts)
            {
                results.Add(await AddAsync(c, t, ids, channel, user, message, parent, cancellationToken));
            }

            if (results.Any(r => r.Added is not null))
            {
                // Every replica's tail hears of them once committed (on PostgreSQL; on SQLite they poll).
                await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
            }

            return results;
        }, cancellationToken);

        var shown = new List<WebChatMessage>(stored.Count);
        foreach (var (seq, added) in stored)
        {
            // Posted before under its delivery key: what is shown now.
            shown.Add(added ?? (await GetAsync(ids, seq, cancellationToken))!);
        }

        if (stored.Any(r => r.Added is not null))
        {
            feed.Changed();
        }

        return shown;
    }

    /// <summary>One post inside a write: the earlier message's number when its delivery key was posted before, else the new message.</summary>
    private async Task<(long Seq, WebChatMessage? Added)> AddAsync(DbConnection c, DbTransaction t, WebChatMessageIds ids, string channel, string user,
        OutgoingMessage message, long? parent, CancellationToken cancellationToken)
    {
        if (message.DeliveryKey is { } key
            && await c.ScalarAsync("SELECT seq FROM webchat_delivery_keys WHERE delivery_key = @key", t, cancellationToken, ("@key", key)) is long existing)
        {
            return (existing, null);
        }

        if (parent is not null)
        {
            // Replies to a reply belong to the same thread.
            var root = await c.ScalarAsync("SELECT coalesce(thread_of, seq) FROM webchat_messages WHERE seq = @p", t, cancellationToken, ("@p", parent));
            parent = root is null ? throw new KeyNotFoundException($"Message {ids.Format(parent.Value)} does not exist.") : (long)root;
        }

        var inserted = await InsertAsync(c, t, ids, channel, user, message, parent, cancellationToken);
        if (message.DeliveryKey is { } deliveryKey)
        {
            await c.ExecuteAsync("INSERT INTO webchat_delivery_keys (delivery_key, seq) VALUES (@key, @seq)",
                t, cancellationToken, ("@key", deliveryKey), ("@seq", inserted.Seq));
        }

        return (inserted.Seq, inserted.Message);
    }

    /// <summary>
    /// Adds a person's message and, in the same transaction, offers its id to <paramref name="admit"/> (the
    /// inbox). When that refuses it, the message is removed before anything is committed: a message the bot
    /// would never answer is neither kept nor shown. Null when refused.
    /// </summary>
    public async Task<WebChatMessage?> PostIfAdmittedAsync(string channel, string user, string text,
        Func<string, DbConnection, DbTransaction, Task<bool>> admit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admit);
        var ids = await IdsAsync(cancellationToken);
        var kept = await database.WriteGroupedAsync(async (c, t) =>
        {
            // Every replica's tail hears of it once committed (on PostgreSQL; on SQLite they poll). Refused and removed
            // before the commit, it costs them one read that finds nothing.
            await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
            var (inserted, message) = await InsertAsync(c, t, ids, channel, user, OutgoingMessage.Plain(text), parent: null, cancellationToken);
            if (await admit(message.Id, c, t))
            {
                return message;
            }

            await c.ExecuteAsync("DELETE FROM webchat_messages WHERE seq = @seq", t, cancellationToken, ("@seq", inserted));
            return null;
        }, cancellationToken);
        if (kept is not null)
        {
            feed.Changed();
        }

        return kept;
    }

    // The row comes back as stored (RETURNING), so a post costs no second read.
    private async Task<(long Seq, WebChatMessage Message)> InsertAsync(DbConnection c, DbTransaction t, WebChatMessageIds ids, string channel, string user,
        OutgoingMessage message, long? parent, CancellationToken cancellationToken)
    {
        var rows = await c.QueryAsync(
            $"""
            INSERT INTO webchat_messages (channel, "user", text, buttons, context, image, image_alt, thread_of, version, created_at, updated_at, visible_to, revision)
            VALUES (@channel, @user, @text, @buttons, @context, @image, @alt, @thread, 1, @now, @now, @visibleTo, {NextRevision}) RETURNING {Columns}
            """, t, r => (r.GetInt64(0), Map(r, ids, options.Value.BotName)), cancellationToken, ("@visibleTo", Viewer(message.VisibleTo)),
            ("@channel", channel), ("@user", user), ("@text", message.Text), ("@buttons", SerializeButtons(message.Buttons)),
            ("@context", JsonSerializer.Serialize(message.Context)), ("@image", message.Image?.Png.ToArray()), ("@alt", message.Image?.AltText),
            ("@thread", parent), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        return rows[0];
    }

    /// <summary>The id of the message posted with <paramref name="deliveryKey"/>, or null when there is none.</summary>
    public async Task<string?> FindByDeliveryKeyAsync(string deliveryKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryKey);
        var ids = await IdsAsync(cancellationToken);
        var seq = await database.ReadAsync(
            c => c.ScalarAsync("SELECT seq FROM webchat_delivery_keys WHERE delivery_key = @key", null, cancellationToken, ("@key", deliveryKey)), cancellationToken);
        return seq is long s ? ids.Format(s) : null;
    }

    public async Task<WebChatMessage> UpdateAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = await IdsAsync(cancellationToken);
        var seq = ParseOwnId(ids, messageId);
        var changed = await database.WriteGroupedAsync(async (c, t) =>
        {
            await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
            return await c.ExecuteAsync(
                $"""
                UPDATE webchat_messages SET text = @text, buttons = @buttons, context = @context, image = @image, image_alt = @alt,
                    version = version + 1, updated_at = @now, revision = {NextRevision}
                WHERE seq = @seq
                """, t, cancellationToken,
                ("@text", message.Text), ("@buttons", SerializeButtons(message.Buttons)), ("@context", JsonSerializer.Serialize(message.Context)),
                ("@image", message.Image?.Png.ToArray()), ("@alt", message.Image?.AltText), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("@seq", seq));
        }, cancellationToken);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"Message {messageId} does not exist.");
        }

        feed.Changed();
        return (await GetAsync(ids, seq, cancellationToken))!;
    }

    /// <summary>The message with id <paramref name="messageId"/> as given from outside: null unless its tag is right.</summary>
    public async Task<WebChatMessage?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(cancellationToken);
        return ids.TryParse(messageId, out var seq) ? await GetAsync(ids, seq, cancellationToken) : null;
    }

    private async Task<WebChatMessage?> GetAsync(WebChatMessageIds ids, long seq, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync($"SELECT {Columns} FROM webchat_messages WHERE seq = @seq", null, r => Map(r, ids, options.Value.BotName), cancellationToken, ("@seq", seq)), cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>The newest top-level messages of a channel everyone sees, oldest first, each with its thread.</summary>
    public Task<List<WebChatMessage>> ListAsync(string channel, CancellationToken cancellationToken) => ListAsync(channel, viewer: null, cancellationToken);

    /// <summary>
    /// The newest top-level messages of a channel that <paramref name="viewer"/> sees (everyone's and those
    /// meant for them alone), oldest first, each with its thread.
    /// </summary>
    public async Task<List<WebChatMessage>> ListAsync(string channel, string? viewer, CancellationToken cancellationToken)
    {
        var who = Viewer(viewer);
        var ids = await IdsAsync(cancellationToken);
        return await database.ReadAsync(async c =>
        {
            var top = await c.QueryAsync(
                $"SELECT * FROM (SELECT {Columns} FROM webchat_messages WHERE channel = @channel AND thread_of IS NULL AND {VisibleToViewer} ORDER BY seq DESC LIMIT @limit) AS newest ORDER BY seq",
                null, r => Map(r, ids, options.Value.BotName), cancellationToken, ("@channel", channel), ("@limit", options.Value.HistoryLimit), ("@viewer", who));
            if (top.Count == 0)
            {
                return top;
            }

            var replies = await c.QueryAsync(RepliesSince, null, r => Map(r, ids, options.Value.BotName), cancellationToken, ("@channel", channel), ("@first", ParseOwnId(ids, top[0].Id)), ("@viewer", who));
            var byParent = replies.ToLookup(r => r.ThreadOf);
            return top.Select(m => m with { Replies = [.. byParent[m.Id]] }).ToList();
        }, cancellationToken);
    }

    /// <summary>The highest revision taken so far (0 when none): where a live stream starts following.</summary>
    public Task<long> LatestRevisionAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ScalarAsync("SELECT max(revision) FROM webchat_messages", null, cancellationToken) is long latest ? latest : 0, cancellationToken);

    /// <summary>Messages posted or edited after <paramref name="revision"/>, in the order they were, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(long Revision, WebChatMessage Message)>> ChangesAfterAsync(long revision, int limit, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(cancellationToken);
        return await database.ReadAsync(c => c.QueryAsync(
            $"SELECT {Columns}, revision FROM webchat_messages WHERE revision > @after ORDER BY revision LIMIT @limit",
            null, r => (r.GetInt64(12), Map(r, ids, options.Value.BotName)), cancellationToken, ("@after", revision), ("@limit", limit)), cancellationToken);
    }

    /// <summary>A message's picture, by an id given from outside: null unless its tag is right.</summary>
    public async Task<byte[]?> GetImageAsync(string messageId, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(cancellationToken);
        return ids.TryParse(messageId, out var seq)
            ? await database.ReadAsync(async c => (byte[]?)await c.ScalarAsync("SELECT image FROM webchat_messages WHERE seq = @seq", null, cancellationToken, ("@seq", seq)), cancellationToken)
            : null;
    }

    private async Task<WebChatMessageIds> IdsAsync(CancellationToken cancellationToken)
    {
        if (_ids is { } known)
        {
            return known;
        }

        return await database.ReadAsync(c => IdsAsync(c, null, cancellationToken), cancellationToken);
    }

    /// <summary>As <see cref="IdsAsync(CancellationToken)"/>, read (the first time) on the caller's connection.</summary>
    private async Task<WebChatMessageIds> IdsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (_ids is { } known)
        {
            return known;
        }

        var key = (byte[]?)await connection.ScalarAsync("SELECT key FROM webchat_id_key WHERE id = 1", transaction, cancellationToken)
            ?? throw new InvalidOperationException("The web chat's id key is missing: the state store was not initialised.");
        return _ids = new WebChatMessageIds(key);
    }

    private static WebChatMessage Map(DbDataReader r, WebChatMessageIds ids, string botName)
    {
        var user = r.GetString(2);
        var text = r.GetString(3);
        var context = JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [];
        // The bot's messages keep their times as ChatTime elements: the page gets each as its fallback text,
        // plus the moment itself, to show in the reader's own terms. People's messages are shown as typed.
        var times = string.Equals(user, botName, StringComparison.Ordinal)
            ? [.. ChatTime.Find(text).Concat(context.SelectMany(ChatTime.Find)).Select(t => new WebChatTime(t.At, t.Fallback))]
            : new List<WebChatTime>();
        if (times.Count > 0)
        {
            text = ChatTime.Plain(text);
            context = [.. context.Select(ChatTime.Plain)];
        }

        return new WebChatMessage(
            ids.Format(r.GetInt64(0)),
            r.GetString(1),
            user,
            text,
            JsonSerializer.Deserialize<List<WebChatButton>>(r.GetString(4)) ?? [],
            context,
            r.IsDBNull(6) ? null : ids.Format(r.GetInt64(6)),
            r.GetInt32(7),
            r.GetTimestamp(8),
            r.GetTimestamp(9),
            r.GetBoolean(10)) { Times = times, VisibleTo = r.GetNullableString(11) };
    }

    private static string SerializeButtons(IReadOnlyList<ChatButton> buttons) =>
        JsonSerializer.Serialize(buttons.Select(b => new WebChatButton(b.ActionId, b.Label, b.Style.ToString().ToLowerInvariant())));

    private static long ParseOwnId(WebChatMessageIds ids, string id) =>
        ids.TryParseOwn(id, out var seq) ? seq : throw new KeyNotFoundException($"'{id}' is not a web chat message id.");
}
