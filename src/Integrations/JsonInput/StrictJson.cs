using System.Text.Json;

namespace ChatOps.Integrations.JsonInput;

/// <summary>
/// What is wrong with one place in a JSON document: its path (<c>tags.env</c>, <c>[2].title</c>, empty
/// for the document itself) and why, worded to follow the path ("appears more than once…").
/// </summary>
public sealed record JsonProblem(string Path, string Reason)
{
    public override string ToString() => $"{(Path.Length == 0 ? "the body" : $"`{Path}`")} {Reason}";
}

/// <summary>
/// The checks that <see cref="JsonDocument"/> leaves to the reader of each value: a property that
/// appears twice in one object (the parser keeps both and lookups take one, so
/// <c>{"text":"help","text":"/env lock dev"}</c> means whatever the reader happens to pick), and
/// strings that are not text (invalid UTF-8 bytes, or a <c>\ud800</c> escape without its other half),
/// which the parser accepts and <see cref="JsonElement.GetString"/> throws on much later. Every inbound
/// JSON document is checked once, where it arrives, so such input is refused with its path instead
/// of being half-read.
/// </summary>
public static class StrictJson
{
    /// <summary>The first problem in document order, or null when every name is unique and every string is text.</summary>
    public static JsonProblem? FindProblem(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException ex)
                    {
                        return new JsonProblem(path, $"has a property name that {NotText(ex)}");
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (!seen.Add(name))
                    {
                        return new JsonProblem(child, "appears more than once in the same object");
                    }

                    if (FindProblem(property.Value, child) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindProblem(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException ex)
                {
                    return new JsonProblem(path, NotText(ex));
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// Checks an object's property names and every value except <paramref name="skipped"/>'s, for a
    /// caller that checks that one's items one by one (so a bad item costs only itself).
    /// </summary>
    public static JsonProblem? FindProblemOutside(JsonElement element, string skipped)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return FindProblem(element);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException ex)
            {
                return new JsonProblem("", $"has a property name that {NotText(ex)}");
            }

            if (!seen.Add(name))
            {
                return new JsonProblem(name, "appears more than once in the same object");
            }

            if (name != skipped && FindProblem(property.Value, name) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    // The parser's message names the kind of damage; the wording here is what the sender can act on.
    private static string NotText(InvalidOperationException ex) =>
        ex.Message.Contains("UTF-8", StringComparison.Ordinal)
            ? "is not valid UTF-8"
            : "holds a lone UTF-16 surrogate (such as \\ud800 without its pair)";
}
