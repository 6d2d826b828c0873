namespace ChatOps.TestCommon;

/// <summary>
/// Finds the vendor data the contract tests read (<c>tests/specs</c>, see its README) under the
/// <see cref="RepositoryRoot"/>. The files stay in one place in the source tree instead of being copied
/// into every test project's output, and a clone anywhere on disk finds them without anything beside
/// the repository.
/// </summary>
public static class SpecFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts)
    {
        var path = Path(parts);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"{path} is not in the repository; tests/specs/README.md lists the vendor files the tests read.", path);
    }

    private static string FindRoot()
    {
        var specs = RepositoryRoot.Combine("tests", "specs");
        return Directory.Exists(specs)
            ? specs
            : throw new DirectoryNotFoundException($"{specs} is missing from the repository at {RepositoryRoot.Path}.");
    }
}
