using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatOps.TestCommon.Graph;

/// <summary>
/// What the Microsoft Graph reference says about the message listings the Teams lookup calls, read from the pages
/// vendored in <c>tests/specs/graph/</c>: each page's <c>## HTTP request</c> block gives its paths, its
/// <c>## Optional query parameters</c> section the query options it takes (any other is "not currently supported"),
/// the largest <c>$top</c>, and which properties <c>$orderBy</c> takes in descending order; the
/// <c>chatMessageAttachment</c> page the properties of an attachment.
/// </summary>
public sealed partial class GraphContract
{
    private static readonly Lazy<GraphContract> Shared = new(() => new GraphContract());

    private readonly List<GraphOperation> _operations = [];

    private GraphContract()
    {
        foreach (var page in new[] { "channel-list-messages.md", "chatmessage-list-replies.md", "chat-list-messages.md" })
        {
            var text = SpecFiles.Read("graph", "api", page).Replace("\r\n", "\n", StringComparison.Ordinal);
            var request = Section(text, "HTTP request");
            var block = HttpBlock().Match(request);
            var parameters = Section(text, "Optional query parameters");
            var options = QueryOption().Matches(parameters).Select(m => "$" + m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var top = MaxTop().Match(parameters) is { Success: true } t ? int.Parse(t.Groups[1].Success ? t.Groups[1].Value : t.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
            var orderRow = parameters.Split('\n').FirstOrDefault(l => l.Contains("[$orderBy]", StringComparison.OrdinalIgnoreCase));
            var orderBy = orderRow is null ? [] : Bold().Matches(orderRow).Select(m => m.Groups[1].Value).ToList();
            foreach (var line in block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(' ', 2);
                // "{user-id | user-principal-name}" is one segment too.
                var pattern = "^" + Regex.Replace(Regex.Escape(parts[1]).Replace("\\ ", " ", StringComparison.Ordinal), @"\\\{[^}]+\}", "[^/]+") + "$";
                _operations.Add(new GraphOperation(page, parts[0], parts[1], new Regex(pattern, RegexOptions.CultureInvariant), options, top, orderBy));
            }
        }

        var attachment = SpecFiles.Read("graph", "resources", "chatmessageattachment.md");
        using var json = JsonDocument.Parse(JsonBlock().Match(attachment).Groups[1].Value);
        AttachmentProperties = [.. json.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    public static GraphContract Instance => Shared.Value;

    public IReadOnlyList<GraphOperation> Operations => _operations;

    /// <summary>The properties of a <c>chatMessageAttachment</c>, from its JSON representation.</summary>
    public IReadOnlyList<string> AttachmentProperties { get; }

    /// <summary>The documented operation <paramref name="method"/> <paramref name="path"/> is, or null.</summary>
    public GraphOperation? OperationOf(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Path.IsMatch(path));

    /// <summary>Every way a request breaks the reference; empty when it keeps it.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path under the version root (<c>/teams/…</c>), unescaped.</param>
    /// <param name="query">The query options, unescaped, as sent.</param>
    /// <param name="authorization">The Authorization header.</param>
    /// <param name="bodyLength">How many bytes of body came with it.</param>
    public IReadOnlyList<string> Check(string method, string path, IReadOnlyList<KeyValuePair<string, string>> query, string? authorization, long bodyLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        var operation = OperationOf(method, path);
        if (operation is null)
        {
            return [$"{method} {path}: no such operation in the vendored Graph reference"];
        }

        var violations = new List<string>();
        var where = $"{method} {operation.Template} ({operation.Page})";
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            violations.Add($"{where}: no bearer token (Authorization: Bearer {{token}}. Required.)");
        }

        if (bodyLength > 0)
        {
            violations.Add($"{where}: a request body (do not supply a request body for this method)");
        }

        foreach (var (name, value) in query)
        {
            if (name.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase))
            {
                // Only ever sent back as Graph gave it in @odata.nextLink.
                continue;
            }

            if (!operation.QueryOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add($"{where}: query option '{name}' is not supported (documented: {string.Join(", ", operation.QueryOptions)})");
            }
            else if (name.Equals("$top", StringComparison.OrdinalIgnoreCase)
                && (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var top) || top < 1 || top > operation.MaxTop))
            {
                violations.Add($"{where}: $top={value} (a page size from 1 to {operation.MaxTop})");
            }
            else if (name.Equals("$orderBy", StringComparison.OrdinalIgnoreCase))
            {
                var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2 || !operation.OrderBy.Contains(parts[0], StringComparer.Ordinal) || parts[1] != "desc")
                {
                    violations.Add($"{where}: $orderBy={value} (only {string.Join(" or ", operation.OrderBy)}, descending)");
                }
            }
        }

        return violations;
    }

    private static string Section(string text, string heading)
    {
        var start = text.IndexOf($"## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidDataException($"the vendored Graph page has no '## {heading}' section");
        }

        var end = text.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    [GeneratedRegex(@"```http\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HttpBlock();

    [GeneratedRegex(@"```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex(@"\[\$(\w+)\]")]
    private static partial Regex QueryOption();

    [GeneratedRegex(@"up to (\d+) channel messages per page|Maximum allowed `\$top` value is (\d+)")]
    private static partial Regex MaxTop();

    [GeneratedRegex(@"\*\*(\w+)\*\*")]
    private static partial Regex Bold();
}

/// <summary>A documented Graph operation: its page, method, path template and what its query takes.</summary>
public sealed record GraphOperation(string Page, string Method, string Template, Regex Path, IReadOnlyList<string> QueryOptions, int? MaxTop, IReadOnlyList<string> OrderBy);
