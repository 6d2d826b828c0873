using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Vagrant;

/// <summary>How the Vagrant provider runs the <c>vagrant</c> CLI, for every environment.</summary>
internal sealed class VagrantOptions
{
    public const string SectionName = "Vagrant";

    /// <summary>The vagrant program, on PATH or as a path. <value>Default: <c>vagrant</c>.</value></summary>
    [Required]
    public string Executable { get; set; } = "vagrant";

    /// <summary>How long up, provision, halt or destroy may run before the tree is killed. <value>Default: 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long <c>vagrant status</c> may take. <value>Default: 2 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The environment variable that carries the version of <c>provision version=…</c> (and of up) to
    /// the Vagrantfile, which reads it with <c>ENV[…]</c>. <value>Default: <c>APP_VERSION</c>.</value>
    /// </summary>
    [Required]
    public string VersionVariable { get; set; } = "APP_VERSION";

    /// <summary>How many output lines per <see cref="OutputInterval"/> reach the run's thread. <value>Default: 20.</value></summary>
    [Range(1, 1000)]
    public int OutputLinesPerInterval { get; set; } = 20;

    /// <summary>The window for <see cref="OutputLinesPerInterval"/>. <value>Default: 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OutputInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>One environment's Vagrant settings, bound per environment from <c>Environments:{env}:Vagrant</c>.</summary>
internal sealed class VagrantEnvironmentOptions
{
    /// <summary>The folder holding the environment's Vagrantfile, relative to the content root unless rooted.</summary>
    [Required]
    public string Directory { get; set; } = "";
}

[OptionsValidator]
internal sealed partial class VagrantOptionsValidator : IValidateOptions<VagrantOptions>;

[OptionsValidator]
internal sealed partial class VagrantEnvironmentOptionsValidator : IValidateOptions<VagrantEnvironmentOptions>;
