using System.Globalization;
using System.Text;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Builds relative request paths with escaped index names and ids and a query string.</summary>
internal sealed class RequestPaths
{
    private readonly StringBuilder _path = new();
    private char _separator = '?';

    private RequestPaths()
    {
    }

    public static RequestPaths Root() => new();

    public static string Indices(IReadOnlyList<string> indices)
    {
        foreach (var index in indices)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(index, nameof(indices));
            if (index.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Index '{index}' contains a comma; pass each index separately.", nameof(indices));
            }
        }

        return string.Join(',', indices.Select(Uri.EscapeDataString));
    }

    public RequestPaths Segment(string raw)
    {
        _path.Append(_path.Length == 0 ? "" : "/").Append(raw);
        return this;
    }

    public RequestPaths Escaped(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Segment(Uri.EscapeDataString(value));
    }

    public RequestPaths Query(string name, string? value)
    {
        if (value is not null)
        {
            _path.Append(_separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _separator = '&';
        }

        return this;
    }

    public RequestPaths Query(string name, long? value) => Query(name, value?.ToString(CultureInfo.InvariantCulture));

    public RequestPaths Query(string name, bool? value) => Query(name, value is { } b ? (b ? "true" : "false") : null);

    public RequestPaths Query(string name, Refresh? value) => Query(name, value switch
    {
        Refresh.True => "true",
        Refresh.False => "false",
        Refresh.WaitFor => "wait_for",
        _ => null,
    });

    public override string ToString() => _path.ToString();
}
