using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Simulation;

/// <summary>A simulated live TV show feeding the embedded store, so a fresh install has a pulse to show.</summary>
internal sealed class SimulatorOptions
{
    public const string SectionName = "Radiator:Simulator";

    /// <summary>Whether it runs. <value>Default: null, meaning on when Elasticsearch is not configured.</value></summary>
    public bool? Enabled { get; set; }

    /// <summary>The same seed gives the same events for the same times. <value>Default: 42.</value></summary>
    public int Seed { get; set; } = 42;

    /// <summary>How often a batch of events is written. <value>Default: 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the daily show starts, as UTC time of day. <value>Default: 19:00.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan ShowStart { get; set; } = TimeSpan.FromHours(19);

    /// <value>Default: 2 hours.</value>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00")]
    public TimeSpan ShowLength { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Viewers at the height of the show. <value>Default: 1,000,000.</value></summary>
    [Range(1, 100_000_000)]
    public int PeakViewers { get; set; } = 1_000_000;

    /// <summary>Viewers outside the show. <value>Default: 20,000.</value></summary>
    [Range(0, 100_000_000)]
    public int BaselineViewers { get; set; } = 20_000;

    /// <summary>The chance that any 5-minute block holds an incident (errors and latency spike). <value>Default: 0.02.</value></summary>
    [Range(0.0, 1.0)]
    public double IncidentChance { get; set; } = 0.02;
}

[OptionsValidator]
internal sealed partial class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>;
