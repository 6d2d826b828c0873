namespace ChatOps.TestCommon;

/// <summary>
/// Finds the vendor specs (<c>shared/specs</c>, kept beside the repository) by walking up from the
/// test binaries, so contract tests work from any checkout location.
/// </summary>
public static class SpecFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "specs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"shared/specs was not found above {AppContext.BaseDirectory}; the vendor specs sit beside the repository.");
    }
}
