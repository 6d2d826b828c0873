namespace ChatOps.Integrations.Storage;

/// <summary>
/// The database was migrated by a newer build than this one: running on it could misread or damage
/// what that build wrote, so the start stops with both versions named.
/// </summary>
public sealed class SchemaTooNewException(int databaseVersion, int codeVersion)
    : Exception($"the state store's schema is version {databaseVersion}, newer than this build knows (version {codeVersion}); run the build that wrote it, or a newer one")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int CodeVersion { get; } = codeVersion;
}
