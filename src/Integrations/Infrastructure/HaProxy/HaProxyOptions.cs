using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// HAProxy in front of environments. By default each environment gets its own haproxy process on a
/// loopback port, with a generated config under <see cref="StateDirectory"/>; an environment with a
/// <see cref="HaProxyEnvironmentOptions.Runtime"/> address is driven on an existing HAProxy instead.
/// </summary>
public sealed class HaProxyOptions
{
    public const string SectionName = "HaProxy";

    /// <summary>The haproxy program, on PATH or as a path. <value>Default: <c>haproxy</c>.</value></summary>
    [Required]
    public string Executable { get; set; } = "haproxy";

    /// <summary>
    /// Generated configs, pid files, runtime sockets and our records of servers, weights and sorry, one
    /// folder per environment; relative to the content root. <value>Default: <c>data/haproxy</c>.</value>
    /// </summary>
    [Required]
    public string StateDirectory { get; set; } = "data/haproxy";

    /// <summary>
    /// The first loopback port tried for an environment without a configured port; each environment
    /// keeps the port it got. <value>Default: 8480.</value>
    /// </summary>
    [Range(1, 65535)]
    public int FrontPortBase { get; set; } = 8480;

    /// <summary>The sorry page's message when <c>sorry on</c> gives none. <value>Default: "We'll be right back."</value></summary>
    [Required]
    [MaxLength(HaProxySorryPage.MaxMessageLength)]
    public string SorryMessage { get; set; } = "We'll be right back.";

    /// <summary>The weight a server gets when it is first added. <value>Default: 100.</value></summary>
    [Range(0, 256)]
    public int DefaultWeight { get; set; } = 100;

    /// <summary>How often HAProxy checks that each node accepts connections. <value>Default: 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one runtime API command may take. <value>Default: 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long haproxy may take to start and answer on its socket. <value>Default: 15 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Per-environment settings, keyed by environment name.</summary>
    public Dictionary<string, HaProxyEnvironmentOptions> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public HaProxyEnvironmentOptions For(string environment) =>
        Environments.TryGetValue(environment, out var settings) ? settings : new HaProxyEnvironmentOptions();
}

/// <summary>One environment's HAProxy settings (<c>HaProxy:Environments:{env}</c>).</summary>
public sealed class HaProxyEnvironmentOptions
{
    /// <summary>The loopback port of a generated front. <value>Default: the first free port from <see cref="HaProxyOptions.FrontPortBase"/>.</value></summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// The runtime API of an HAProxy we do not run: <c>unix:///run/haproxy/admin.sock</c> or
    /// <c>tcp://10.0.0.5:9999</c> (the socket needs <c>level admin</c>). <value>Default: none, so a
    /// local haproxy is generated and run.</value>
    /// </summary>
    public Uri? Runtime { get; set; }

    /// <summary>The backend holding the environment's servers. <value>Default: <c>nodes</c> (the generated config's name).</value></summary>
    [Required]
    public string Backend { get; set; } = HaProxyConfigWriter.BackendName;

    /// <summary>Where users reach an existing HAProxy's front, shown in status. <value>Default: none.</value></summary>
    public Uri? FrontUrl { get; set; }

    /// <summary>
    /// For an existing HAProxy: the map file its sorry page reads the <c>page</c> key from, so the
    /// message can be changed at runtime. <value>Default: none; the message is then not sent.</value>
    /// </summary>
    public string? SorryMap { get; set; }
}

[OptionsValidator]
internal sealed partial class HaProxyOptionsValidator : IValidateOptions<HaProxyOptions>;
