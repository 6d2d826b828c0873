using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Bot.Audit;

/// <summary>
/// The secret the audit chain is keyed with, and where it came from (<see cref="Source"/> names the
/// place, never the key). Kept outside the state database, so whoever can rewrite the database alone
/// cannot recompute a chain that verifies.
/// </summary>
internal sealed class AuditKey
{
    private readonly byte[] _bytes;

    private AuditKey(byte[] bytes, string source)
    {
        _bytes = bytes;
        Source = source;
    }

    /// <summary>"Audit:Key (configuration or environment)" or "key file /path/audit.key".</summary>
    public string Source { get; }

    public static AuditKey FromText(string key, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new AuditKey(Encoding.UTF8.GetBytes(key.Trim()), source);
    }

    /// <summary>
    /// Reads the key file, or creates it with 32 random bytes when it does not exist yet. It is
    /// written to a temporary file created owner-only (0600) and moved into place, so no other user
    /// can ever read it and two starts racing end up with the same key.
    /// </summary>
    public static AuditKey LoadOrCreateFile(string path, out bool created)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        created = false;
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, Encoding.ASCII, options))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                created = true;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another start created it first: use theirs
            }
        }

        var text = File.ReadAllText(path).Trim();
        if (text.Length < 32)
        {
            throw new InvalidOperationException($"The audit key file {path} holds fewer than 32 characters; it is damaged. Restore it from a backup: without it the trail cannot be verified.");
        }

        return FromText(text, $"key file {path}");
    }

    /// <summary>True when the file can be read or written by anyone but its owner.</summary>
    public static bool IsOpenToOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & others) != 0;
    }

    /// <summary>HMAC-SHA256 of <paramref name="content"/> under this key, in lower-case hex.</summary>
    public string Sign(string content) => Convert.ToHexStringLower(HMACSHA256.HashData(_bytes, Encoding.UTF8.GetBytes(content)));
}
