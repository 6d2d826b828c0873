using ChatOps.Bot.Audit;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditKeyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatops-audit-key-").FullName;

    private string KeyFile => Path.Combine(_folder, "keys", "audit.key");

    [Fact]
    public void LoadOrCreateFile_NoFile_CreatesAnOwnerOnlyKeyFile()
    {
        var key = AuditKey.LoadOrCreateFile(KeyFile, out var created);

        Assert.True(created);
        Assert.Equal($"key file {KeyFile}", key.Source);
        Assert.True(File.ReadAllText(KeyFile).Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
            Assert.False(AuditKey.IsOpenToOthers(KeyFile));
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(KeyFile)!, "*.tmp"));
    }

    [Fact]
    public void LoadOrCreateFile_ExistingFile_IsReadNotReplaced()
    {
        var first = AuditKey.LoadOrCreateFile(KeyFile, out _);

        var second = AuditKey.LoadOrCreateFile(KeyFile, out var created);

        Assert.False(created);
        Assert.Equal(first.Sign("record"), second.Sign("record"));
    }

    [Fact]
    public void LoadOrCreateFile_TruncatedFile_FailsNamingIt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.WriteAllText(KeyFile, "short");

        var error = Assert.Throws<InvalidOperationException>(() => AuditKey.LoadOrCreateFile(KeyFile, out _));

        Assert.Contains(KeyFile, error.Message);
    }

    [Fact]
    public void IsOpenToOthers_GroupReadable_IsTrue()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        AuditKey.LoadOrCreateFile(KeyFile, out _);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        Assert.True(AuditKey.IsOpenToOthers(KeyFile));
    }

    [Fact]
    public void Sign_DifferentKeys_GiveDifferentHashes()
    {
        var one = AuditKey.FromText("one-key-0123456789abcdef0123456789", "a");
        var two = AuditKey.FromText("two-key-0123456789abcdef0123456789", "b");

        Assert.NotEqual(one.Sign("record"), two.Sign("record"));
        Assert.Equal(64, one.Sign("record").Length);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
