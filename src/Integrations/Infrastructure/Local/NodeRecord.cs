using System.Text.Json;

namespace ChatOps.Integrations.Infrastructure.Local;

/// <summary>What a running node left behind in its directory: enough to find, probe or stop it after a restart.</summary>
internal sealed record NodeRecord(int ProcessId, int Port, string Version, DateTimeOffset StartedAt)
{
    private const string FileName = "node.json";
    private const string VersionFileName = "version";

    public static NodeRecord? Read(string nodeDirectory)
    {
        var path = Path.Combine(nodeDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<NodeRecord>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            // A record torn by a crash mid-write names no process we can trust.
            return null;
        }
    }

    public void Write(string nodeDirectory)
    {
        Directory.CreateDirectory(nodeDirectory);
        var path = Path.Combine(nodeDirectory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this));
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string nodeDirectory) => File.Delete(Path.Combine(nodeDirectory, FileName));

    /// <summary>The deployed version, kept apart from the process record so halting keeps it.</summary>
    public static string? ReadDeployedVersion(string nodeDirectory)
    {
        var path = Path.Combine(nodeDirectory, VersionFileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public static void WriteDeployedVersion(string nodeDirectory, string version)
    {
        Directory.CreateDirectory(nodeDirectory);
        File.WriteAllText(Path.Combine(nodeDirectory, VersionFileName), version);
    }
}
