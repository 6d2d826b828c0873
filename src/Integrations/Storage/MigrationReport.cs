namespace ChatOps.Integrations.Storage;

/// <summary>What one start did to the schema.</summary>
/// <param name="Adopted">The database held tables but no <c>schema_migrations</c>: written before versioning.</param>
/// <param name="FromVersion">The highest migration recorded before (0 for a new or adopted database).</param>
/// <param name="ToVersion">The highest migration recorded after.</param>
/// <param name="Applied">The numbers applied now, in order.</param>
public sealed record MigrationReport(bool Adopted, int FromVersion, int ToVersion, IReadOnlyList<int> Applied);
