namespace ChatOps.Integrations.Storage;

/// <summary>
/// The tables one feature owns, as numbered migrations. Each feature registers one with
/// <see cref="StorageServiceCollectionExtensions.AddStateSchema{T}"/>; numbers are global across every
/// feature (see <c>Storage/README.md</c> for the numbers taken), and two migrations with one number stop the start.
/// </summary>
public interface IStateSchema
{
    IEnumerable<Migration> Migrations { get; }
}
