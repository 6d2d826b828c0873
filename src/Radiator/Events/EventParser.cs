using System.Globalization;
using System.Text;
using System.Text.Json;
using ChatOps.Integrations.JsonInput;

namespace ChatOps.Radiator.Events;

/// <summary>
/// Reads an ingest body, either a JSON array of events or NDJSON (one event per line). Each bad
/// event is reported by the line it starts on and why, and never costs the good ones.
/// </summary>
internal static class EventParser
{
    public const int MaxKeyLength = 100;
    public const int MaxMessageLength = 4000;
    public const int MaxTags = 32;
    public const int MaxIdLength = 200;

    /// <summary>
    /// The largest magnitude of a value: far beyond any count, byte total or latency, and small enough
    /// that a minute's sum of them stays finite and exact to the unit.
    /// </summary>
    public const double MaxValue = 1e15;

    /// <summary>Reads every event of <paramref name="body"/>.</summary>
    /// <param name="body">A JSON array of events, or NDJSON.</param>
    /// <param name="latest">The latest timestamp accepted (now plus the allowed clock skew); later ones are refused.</param>
    public static ParsedEvents Parse(ReadOnlySpan<byte> body, DateTimeOffset? latest = null)
    {
        // A UTF-8 byte order mark is not JSON, but editors write it.
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var start = 0;
        while (start < body.Length && IsWhiteSpace(body[start]))
        {
            start++;
        }

        var limit = latest ?? DateTimeOffset.MaxValue;
        return start < body.Length && body[start] == (byte)'[' ? ParseArray(body, limit) : ParseLines(body, limit);
    }

    private static ParsedEvents ParseLines(ReadOnlySpan<byte> body, DateTimeOffset latest)
    {
        var events = new List<RadiatorEvent>();
        var errors = new List<IngestError>();
        var lines = new List<int>();
        var line = 0;
        var more = true;
        while (more)
        {
            line++;
            var end = body.IndexOf((byte)'\n');
            var text = end < 0 ? body : body[..end];
            more = end >= 0;
            body = more ? body[(end + 1)..] : [];
            text = text.TrimEnd("\r"u8).Trim(" \t"u8);

            if (text.IsEmpty)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text.ToArray());
                Add(document.RootElement, line, latest, events, errors, lines);
            }
            catch (JsonException ex)
            {
                errors.Add(new IngestError(line, $"not JSON: {Describe(ex)}"));
            }
        }

        return new ParsedEvents(events, errors) { Lines = lines };
    }

    private static ParsedEvents ParseArray(ReadOnlySpan<byte> body, DateTimeOffset latest)
    {
        var events = new List<RadiatorEvent>();
        var errors = new List<IngestError>();
        var lines = new List<int>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            reader.Read(); // [
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = LineAt(body, reader.TokenStartIndex);
                using var element = JsonDocument.ParseValue(ref reader);
                Add(element.RootElement, line, latest, events, errors, lines);
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                errors.Add(new IngestError(LineAt(body, body.Length), "the array is not closed"));
            }
            else if (reader.Read())
            {
                errors.Add(new IngestError(LineAt(body, reader.TokenStartIndex), "unexpected content after the array"));
            }
        }
        catch (JsonException ex)
        {
            // A syntax error ends the array: what follows cannot be told apart into events.
            errors.Add(new IngestError((int)(ex.LineNumber ?? 0) + 1, $"not JSON: {Describe(ex)}"));
        }

        return new ParsedEvents(events, errors) { Lines = lines };
    }

    private static void Add(JsonElement element, int line, DateTimeOffset latest, List<RadiatorEvent> events, List<IngestError> errors, List<int> lines)
    {
        var reason = TryRead(element, latest, out var parsed);
        if (parsed is not null)
        {
            events.Add(parsed);
            lines.Add(line);
        }
        else
        {
            errors.Add(new IngestError(line, reason!));
        }
    }

    private static string? TryRead(JsonElement element, DateTimeOffset latest, out RadiatorEvent? parsed)
    {
        parsed = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"an event is a JSON object, not {Describe(element.ValueKind)}";
        }

        // Before any field is read: a repeated field or a string that is not text makes the event ambiguous.
        if (StrictJson.FindProblem(element) is { } problem)
        {
            return problem.Path.Length == 0 ? $"the event {problem.Reason}" : $"\"{problem.Path}\" {problem.Reason}";
        }

        if (!element.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String)
        {
            return "\"timestamp\" is required, as an ISO 8601 string";
        }

        if (!DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp)
            || !ts.GetString()!.Contains('T', StringComparison.Ordinal))
        {
            return $"\"timestamp\" '{ts.GetString()}' is not an ISO 8601 date and time";
        }

        if (timestamp > latest)
        {
            return $"\"timestamp\" '{ts.GetString()}' is too far in the future: the latest accepted now is {latest.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} (this host's clock plus Radiator:MaxClockSkew)";
        }

        if (!element.TryGetProperty("key", out var keyElement) || keyElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(keyElement.GetString()))
        {
            return "\"key\" is required, as a non-empty string";
        }

        var key = keyElement.GetString()!;
        if (key.Length > MaxKeyLength)
        {
            return $"\"key\" is longer than {MaxKeyLength} characters";
        }

        var value = 1d;
        if (element.TryGetProperty("value", out var valueElement) && valueElement.ValueKind != JsonValueKind.Null)
        {
            if (valueElement.ValueKind != JsonValueKind.Number || !valueElement.TryGetDouble(out value) || !double.IsFinite(value))
            {
                return "\"value\" must be a finite number";
            }

            if (Math.Abs(value) > MaxValue)
            {
                return $"\"value\" {valueElement.GetRawText()} is out of range: from -1e15 to 1e15";
            }
        }

        string? message = null;
        if (element.TryGetProperty("message", out var messageElement) && messageElement.ValueKind != JsonValueKind.Null)
        {
            if (messageElement.ValueKind != JsonValueKind.String)
            {
                return "\"message\" must be a string";
            }

            message = messageElement.GetString();
            if (message!.Length > MaxMessageLength)
            {
                return $"\"message\" is longer than {MaxMessageLength} characters";
            }
        }

        Dictionary<string, string>? tags = null;
        if (element.TryGetProperty("tags", out var tagsElement) && tagsElement.ValueKind != JsonValueKind.Null)
        {
            if (tagsElement.ValueKind != JsonValueKind.Object)
            {
                return "\"tags\" must be an object";
            }

            tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in tagsElement.EnumerateObject())
            {
                if (tags.Count == MaxTags)
                {
                    return $"more than {MaxTags} tags";
                }

                switch (tag.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        tags[tag.Name] = tag.Value.GetString()!;
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        tags[tag.Name] = tag.Value.GetRawText();
                        break;
                    default:
                        return $"tag \"{tag.Name}\" must be a string, number or boolean";
                }
            }
        }

        string? id = null;
        if (element.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (idElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(idElement.GetString()))
            {
                return "\"id\" must be a non-empty string";
            }

            id = idElement.GetString()!;
            if (id.Length > MaxIdLength)
            {
                return $"\"id\" is longer than {MaxIdLength} characters";
            }
        }

        parsed = new RadiatorEvent(timestamp, key, value) { Tags = tags, Message = message, Id = id };
        return null;
    }

    private static int LineAt(ReadOnlySpan<byte> body, long index) =>
        body[..(int)Math.Min(index, body.Length)].Count((byte)'\n') + 1;

    // The reader's own position ("LineNumber: 0 | BytePositionInLine: 3") counts from zero and within
    // the fragment parsed; the line we report is the one that counts.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static bool IsWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    internal static string ToJson(IReadOnlyDictionary<string, string> tags)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in tags)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
