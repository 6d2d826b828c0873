namespace ChatOps.Radiator.Alerts;

/// <summary>A source's fields after applying its preset: what the tail sorts by and how a document becomes an <see cref="AlertSignal"/>.</summary>
internal sealed record AlertFieldMapping(
    string Index,
    string TimestampField,
    string IdField,
    IReadOnlyList<string> FingerprintFields,
    string? StatusField,
    IReadOnlyList<string> ResolvedValues,
    string TitleField,
    string? SeverityField,
    string? DescriptionField,
    string? StartField,
    IReadOnlyDictionary<string, string> Labels,
    (string Field, string Value)? RequiredTerm)
{
    public static AlertFieldMapping For(AlertSourceOptions source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var preset = source.Preset switch
        {
            // Kibana updates one document per alert on every rule run, refreshing @timestamp; the alert's uuid is unique.
            AlertPreset.Kibana => new AlertFieldMapping(".alerts-*", "@timestamp", "kibana.alert.uuid",
                ["kibana.alert.rule.uuid", "kibana.alert.instance.id"], "kibana.alert.status", ["recovered", "untracked"],
                "kibana.alert.rule.name", "kibana.alert.severity", "kibana.alert.reason", "kibana.alert.start",
                new Dictionary<string, string> { ["alertname"] = "kibana.alert.rule.name", ["environment"] = "service.environment", ["host"] = "host.name" }, null),
            // ElastAlert2 writes one document per alert sent and never a resolution; rule and alert time make it unique.
            AlertPreset.ElastAlert2 => new AlertFieldMapping("elastalert_status", "alert_time", "rule_name",
                ["rule_name", "match_body.query_key"], null, [], "rule_name", null, "match_body.message", "match_body.@timestamp",
                new Dictionary<string, string> { ["alertname"] = "rule_name", ["environment"] = "match_body.service.environment", ["host"] = "match_body.host.name" }, null),
            AlertPreset.Ecs => new AlertFieldMapping("*", "@timestamp", "event.id",
                ["rule.id", "host.name", "service.name"], "event.type", ["end"], "rule.name", "event.severity", "message", "event.start",
                new Dictionary<string, string> { ["alertname"] = "rule.name", ["environment"] = "service.environment", ["host"] = "host.name", ["service"] = "service.name" },
                ("event.kind", "alert")),
            _ => new AlertFieldMapping("", "@timestamp", "id", ["fingerprint"], "status", ["resolved"], "title", "severity", "description", "startsAt",
                new Dictionary<string, string>(), null),
        };
        return preset with
        {
            Index = source.Index ?? preset.Index,
            TimestampField = source.TimestampField ?? preset.TimestampField,
            IdField = source.IdField ?? preset.IdField,
            FingerprintFields = source.FingerprintFields.Count > 0 ? source.FingerprintFields : preset.FingerprintFields,
            StatusField = source.StatusField ?? preset.StatusField,
            ResolvedValues = source.ResolvedValues.Count > 0 ? source.ResolvedValues : preset.ResolvedValues,
            TitleField = source.TitleField ?? preset.TitleField,
            SeverityField = source.SeverityField ?? preset.SeverityField,
            DescriptionField = source.DescriptionField ?? preset.DescriptionField,
            StartField = source.StartField ?? preset.StartField,
            Labels = source.Labels.Count > 0 ? source.Labels : preset.Labels,
        };
    }
}
