namespace ChatOps.TestCommon;

/// <summary>
/// The repository's root, the folder that holds <c>Bot.sln</c>, found by walking up from the test
/// binaries: tests that read the source tree (vendor specs, the sources themselves, the Bot's project
/// folder) find it from a clone anywhere on disk.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    public static string Path => Found.Value;

    /// <summary>A path inside the repository, from its parts (<c>"src", "Bot"</c>).</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// The C# sources under <paramref name="parts"/>, as repository-relative paths with <c>/</c>, build output
    /// (<c>obj/</c>, <c>bin/</c>) left out: what the tests that read the sources themselves scan.
    /// </summary>
    public static IEnumerable<string> SourceFiles(params string[] parts) =>
        Directory.EnumerateFiles(Combine(parts), "*.cs", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace(System.IO.Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Bot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No repository root (a folder holding Bot.sln) was found above {AppContext.BaseDirectory}.");
    }
}
