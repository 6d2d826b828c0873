using System.Globalization;
using NpgsqlTypes;

namespace ChatOps.Integrations.Storage.Copy;

/// <summary>
/// A SQLite value as the PostgreSQL column of the same name takes it. SQLite keeps whatever a row was given, whatever the
/// column says; PostgreSQL does not, so a value that does not fit (text in an integer column) is refused here, by name,
/// rather than as a server error about a parameter.
/// </summary>
internal static class PostgresValue
{
    /// <summary>The parameter type for a column of <paramref name="dataType"/> (<c>information_schema.columns.data_type</c>).</summary>
    public static NpgsqlDbType TypeOf(string table, string column, string dataType) => dataType switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "double precision" => NpgsqlDbType.Double,
        "real" => NpgsqlDbType.Real,
        "text" => NpgsqlDbType.Text,
        "bytea" => NpgsqlDbType.Bytea,
        _ => throw new StateCopyRefusedException($"{table}.{column} is {dataType} on the target, a type the copy does not know; the schemas should be the same."),
    };

    /// <summary>The value to send, or null when <paramref name="value"/> does not fit; <see cref="DBNull"/> stays itself.</summary>
    public static object? Convert(object value, NpgsqlDbType type) => (value, type) switch
    {
        (DBNull, _) => DBNull.Value,
        (long l, NpgsqlDbType.Bigint) => l,
        (long l, NpgsqlDbType.Integer) when l is >= int.MinValue and <= int.MaxValue => (int)l,
        (long l, NpgsqlDbType.Smallint) when l is >= short.MinValue and <= short.MaxValue => (short)l,
        (double d, NpgsqlDbType.Bigint) when d == Math.Floor(d) && d is >= long.MinValue and < long.MaxValue => (long)d,
        (long l, NpgsqlDbType.Double) => (double)l,
        (double d, NpgsqlDbType.Double) => d,
        (long l, NpgsqlDbType.Real) => (float)l,
        (double d, NpgsqlDbType.Real) => (float)d,
        // PostgreSQL text holds no NUL character; SQLite's does.
        (string s, NpgsqlDbType.Text) when !s.Contains('\0', StringComparison.Ordinal) => s,
        (long l, NpgsqlDbType.Text) => l.ToString(CultureInfo.InvariantCulture),
        (double d, NpgsqlDbType.Text) => d.ToString("R", CultureInfo.InvariantCulture),
        (byte[] b, NpgsqlDbType.Bytea) => b,
        _ => null,
    };

    /// <summary>What a value that did not fit looked like, short enough for one line.</summary>
    public static string Describe(object value) => value switch
    {
        string s => $"text '{(s.Length > 40 ? s[..40] + "…" : s)}'",
        byte[] b => $"a blob of {b.Length} bytes",
        long l => $"integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"real {d.ToString("R", CultureInfo.InvariantCulture)}",
        _ => value.GetType().Name,
    };
}
