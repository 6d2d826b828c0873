using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The settings file in the folder the bot runs in is read again when it changes, so a role is granted without a
/// restart, and nothing watches that folder for it: the database there is written at every message.
/// </summary>
public sealed class SettingsReloadTests : IDisposable
{
    private const string Refused = "`halt` on *prod* needs the *ops* role, which you do not have.";
    private const string Allowed = "*prod* is not running (unknown), so there is nothing to halt.";

    private readonly BotRoot _root = new("chatops-reload-");

    [Fact]
    public async Task RoleGrantedInTheContentRootsSettings_TakesEffectWithoutARestart_AndTheFolderIsNotWatched()
    {
        // The database is in the folder the bot runs in (its content root), as with the embedded defaults' `data/`.
        await using var bot = await BotProcess.StartAsync(_root.Path, workingDirectory: _root.Path);
        var refused = await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("dave", "/env halt prod"));
        Assert.Equal(Refused, refused.Text);

        await File.WriteAllTextAsync(Path.Combine(_root.Path, "appsettings.json"),
            """{ "Identity": { "Roles": { "ops": [ "webchat:alice", "webchat:bob", "webchat:dave" ] } } }""",
            TestContext.Current.CancellationToken);
        var last = refused.Text;
        await Wait.UntilAsync(async () =>
        {
            last = (await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("dave", "/env halt prod"))).Text;
            return last == Allowed;
        }, "dave's halt to be allowed once the file grants the role", TimeSpan.FromSeconds(30), () => last);

        // Polled, not watched: an inotify watch on the content root would wake at every write of the database.
        Assert.Empty(InotifyDescriptors(bot.ProcessId));
    }

    public void Dispose() => _root.Dispose();

    private static List<string> InotifyDescriptors(int processId) =>
        [.. new DirectoryInfo($"/proc/{processId}/fd").EnumerateFileSystemInfos()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Select(fd => fd.Name)];
}
