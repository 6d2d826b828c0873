namespace ChatOps.Radiator.Alerts;

/// <summary>Which documents shape an Elasticsearch alert source reads.</summary>
public enum AlertPreset
{
    /// <summary>Every field given in the source's mapping.</summary>
    Custom,

    /// <summary>Kibana alerting's alerts-as-data indices (<c>.alerts-*</c>, <c>kibana.alert.*</c> fields).</summary>
    Kibana,

    /// <summary>ElastAlert2's writeback index (<c>elastalert_status</c>): one document per alert sent.</summary>
    ElastAlert2,

    /// <summary>Generic ECS documents with <c>event.kind: alert</c>.</summary>
    Ecs,
}

/// <summary>An Elasticsearch index tailed for alerts (<c>Radiator:Alerts:Sources:N</c>). Unset fields take the preset's.</summary>
public sealed class AlertSourceOptions
{
    public string Name { get; set; } = "";

    public AlertPreset Preset { get; set; } = AlertPreset.Ecs;

    /// <summary>Index or pattern; the preset's when unset.</summary>
    public string? Index { get; set; }

    /// <summary>Optional query-string filter, added to the preset's.</summary>
    public string? Query { get; set; }

    /// <summary>How often the index is read. <value>Default: 30 seconds.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the very first read starts. <value>Default: 1 hour ago.</value></summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(1);

    public string? TimestampField { get; set; }

    /// <summary>Unique per document: the tail's tiebreaker.</summary>
    public string? IdField { get; set; }

    /// <summary>Fields whose values together identify one alert.</summary>
    public List<string> FingerprintFields { get; set; } = [];

    public string? StatusField { get; set; }

    /// <summary>Status values meaning resolved; anything else is firing.</summary>
    public List<string> ResolvedValues { get; set; } = [];

    public string? TitleField { get; set; }

    public string? SeverityField { get; set; }

    public string? DescriptionField { get; set; }

    public string? StartField { get; set; }

    /// <summary>Label name → document field.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
}
