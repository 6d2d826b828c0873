namespace ChatOps.Integrations.Storage;

/// <summary>
/// A text column's JSON field, as each engine reads it: the one store form the engines do not share. Both give a
/// string field's text and a number's digits, so <c>=</c> between two fields or with a string parameter agrees.
/// </summary>
public static class SqlJson
{
    /// <summary>SQLite: <c>json_extract(column, '$.field')</c>.</summary>
    public static string Sqlite(string column, string field) => $"json_extract({column}, '$.{Checked(field)}')";

    /// <summary>PostgreSQL: <c>(column::jsonb -&gt;&gt; 'field')</c>.</summary>
    public static string Postgres(string column, string field) => $"({column}::jsonb ->> '{Checked(field)}')";

    // Names come from our own SQL, never from input; a quote would still break the statement, so it is refused.
    private static string Checked(string field) =>
        field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? field : throw new ArgumentException($"'{field}' is not a plain JSON field name.", nameof(field));
}
