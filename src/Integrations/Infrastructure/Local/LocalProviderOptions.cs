using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Local;

/// <summary>How the Local provider runs nodes as processes on this machine.</summary>
public sealed class LocalProviderOptions
{
    public const string SectionName = "Local";

    /// <summary>Where node working directories live, relative to the content root. <value>Default: data/envs.</value></summary>
    [Required]
    public string DataDirectory { get; set; } = "data/envs";

    /// <summary>
    /// The program that serves one node. <value>Default: set by the host to its own binary in <c>node</c> mode.</value>
    /// </summary>
    public string? NodeProgram { get; set; }

    /// <summary>Arguments before the node's own (<c>--env … --node … --version … --port … --root …</c>).</summary>
    public List<string> NodeArguments { get; set; } = [];

    /// <summary>How long a node may take to answer its health check. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The version a node runs before anything was provisioned. <value>Default: initial.</value></summary>
    [Required]
    public string InitialVersion { get; set; } = "initial";
}

[OptionsValidator]
internal sealed partial class LocalProviderOptionsValidator : IValidateOptions<LocalProviderOptions>;
