using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Slack;

/// <summary>What a message shows: the notification text and, optionally, Block Kit blocks.</summary>
public sealed record SlackMessageContent(string Text, JsonArray? Blocks = null);

/// <summary>Where a posted message landed: the channel id Slack resolved (a user id becomes a D… id) and its ts.</summary>
public sealed record SlackPostedMessage(string Channel, string Ts);

public sealed record SlackUser(string Id, string Name, string? RealName, string? DisplayName, bool IsBot, bool Deleted)
{
    /// <summary>The name people see: display name, else real name, else the handle.</summary>
    public string BestName => !string.IsNullOrEmpty(DisplayName) ? DisplayName : !string.IsNullOrEmpty(RealName) ? RealName : Name;
}

/// <summary>Where to send a file's bytes, from files.getUploadURLExternal.</summary>
public sealed record SlackUploadTarget(Uri UploadUrl, string FileId);

/// <summary>A file to finish in files.completeUploadExternal.</summary>
public sealed record SlackFileReference(string Id, string? Title = null);

/// <summary>A message as conversations.history and conversations.replies list it: its ts, thread and block ids.</summary>
public sealed record SlackListedMessage(string Ts, string? ThreadTs, IReadOnlyList<string> BlockIds);

/// <summary>One page of messages, and the cursor of the next page when there is one.</summary>
public sealed record SlackMessagePage(IReadOnlyList<SlackListedMessage> Messages, string? NextCursor);
