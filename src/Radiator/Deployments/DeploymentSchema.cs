using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Deployments;

/// <summary>Where the Elasticsearch watch stopped, and which documents it has posted, so each is posted once across restarts.</summary>
internal sealed class DeploymentSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(5, "deployment watch",
        [
            "CREATE TABLE IF NOT EXISTS radiator_cursors (name TEXT PRIMARY KEY, cursor TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS radiator_deployments_posted (id TEXT PRIMARY KEY, posted_at INTEGER NOT NULL)",
        ]),
    ];
}

/// <summary>Deploys channels must be <c>platform:channel</c>.</summary>
internal sealed class DeploymentChannelsValidator : Microsoft.Extensions.Options.IValidateOptions<DeploymentOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Channels.Where(c => !Destinations.TryParse(c, out _)).Select(c => $"Radiator:Deployments:Channels: '{c}' is not platform:channel.").ToList();
        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
