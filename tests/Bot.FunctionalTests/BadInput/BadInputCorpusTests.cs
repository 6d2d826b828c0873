using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Slack;
using ChatOps.Integrations.Slack;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.BadInput;

/// <summary>
/// Replays the bad-input corpus (<c>BadInput/Corpus/*.json</c>, one file per endpoint) against the real
/// host: each case's status, the fragments its answer must contain, that every error is a
/// ProblemDetails, and for batches what was kept. A file's cases share one host, in order.
/// </summary>
public sealed class BadInputCorpusTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "BadInput", "Corpus");

    public static TheoryData<string> Files => [.. Directory.GetFiles(CorpusDirectory, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Corpus_HasAFileForEveryEndpointFamily() =>
        Assert.Superset(new HashSet<string> { "alerts.json", "api-read.json", "events.json", "slack-commands.json", "slack-events.json", "slack-interactions.json" }, Files.Select(f => f.Data).ToHashSet());

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Corpus_EveryCase_AnswersAsRecorded(string file)
    {
        var corpus = JsonSerializer.Deserialize<CorpusCase[]>(await File.ReadAllTextAsync(Path.Combine(CorpusDirectory, file), TestContext.Current.CancellationToken), Json)!;
        Assert.NotEmpty(corpus);
        await using var host = await SlackHost.StartAsync();
        var http = host.Slack.Http;
        var failures = new List<string>();
        foreach (var c in corpus)
        {
            failures.AddRange((await RunAsync(host, http, c)).Select(f => $"{file} / {c.Name}: {f}"));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task<List<string>> RunAsync(SlackHost host, HttpClient http, CorpusCase c)
    {
        var failures = new List<string>();
        var eventsBefore = await CountEventsAsync(host);
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
        var body = Body(c);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType ?? "application/json");
        }

        if (c.SignAsSlack)
        {
            var ts = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(SlackRequestVerifier.TimestampHeader, ts);
            request.Headers.Add(SlackRequestVerifier.SignatureHeader, Encoding.ASCII.GetString(SlackRequestVerifier.ComputeSignature(SlackHost.SigningSecret, ts, body ?? [])));
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if ((int)response.StatusCode != c.Status)
        {
            failures.Add($"status {(int)response.StatusCode}, expected {c.Status}; body: {text}");
        }

        foreach (var fragment in c.Contains ?? [])
        {
            if (!text.Contains(fragment, StringComparison.Ordinal))
            {
                failures.Add($"the answer does not contain «{fragment}»; body: {text}");
            }
        }

        if ((int)response.StatusCode >= 400 && ProblemDetailsFault(response, text) is { } fault)
        {
            failures.Add($"not a ProblemDetails: {fault}; body: {text}");
        }

        if (c.KeptEvents is { } kept && await CountEventsAsync(host) - eventsBefore != kept)
        {
            failures.Add($"{await CountEventsAsync(host) - eventsBefore} events kept, expected {kept}");
        }

        if (c.KeptAlerts is not null || c.RefusedAlerts is not null)
        {
            var stored = await StoredFingerprintsAsync(http);
            failures.AddRange((c.KeptAlerts ?? []).Where(f => !stored.Contains(f)).Select(f => $"alert {f} was not kept"));
            failures.AddRange((c.RefusedAlerts ?? []).Where(stored.Contains).Select(f => $"alert {f} was stored though refused"));
        }

        return failures;
    }

    private static byte[]? Body(CorpusCase c)
    {
        var bytes = c.BodyBase64 is { } raw ? Convert.FromBase64String(raw) : c.Body is { } text ? Encoding.UTF8.GetBytes(text) : null;
        if (bytes is null)
        {
            return null;
        }

        // Byte by byte, so a raw body's invalid UTF-8 survives the substitution.
        var now = Encoding.ASCII.GetBytes(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes.AsSpan(i).StartsWith("{now}"u8))
            {
                result.AddRange(now);
                i += 4;
            }
            else
            {
                result.Add(bytes[i]);
            }
        }

        return [.. result];
    }

    /// <summary>Why the answer is not a ProblemDetails (RFC 9457: JSON with <c>status</c> and a <c>title</c> or <c>detail</c>), or null.</summary>
    private static string? ProblemDetailsFault(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return $"content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.GetInt32() != (int)response.StatusCode)
            {
                return "no `status` matching the response";
            }

            return root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length > 0
                || root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String && title.GetString()!.Length > 0
                ? null
                : "neither `detail` nor `title`";
        }
        catch (JsonException ex)
        {
            return ex.Message;
        }
    }

    private static Task<long> CountEventsAsync(SlackHost host) =>
        host.Factory.Services.GetRequiredService<EmbeddedEventStore>().CountEventsAsync(TestContext.Current.CancellationToken);

    private static async Task<HashSet<string>> StoredFingerprintsAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/api/alerts?all=true", TestContext.Current.CancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(a => a.GetProperty("fingerprint").GetString()!)];
    }

    /// <summary>One request of the corpus and what must come of it.</summary>
    /// <param name="Name">What the case is about.</param>
    /// <param name="Method">The HTTP method.</param>
    /// <param name="Path">Path and query.</param>
    /// <param name="ContentType">The body's content type (application/json when absent).</param>
    /// <param name="Body">The body as text; <c>{now}</c> becomes the current UTC time (also in <paramref name="BodyBase64"/>).</param>
    /// <param name="BodyBase64">The body as raw bytes, for what text cannot hold (invalid UTF-8).</param>
    /// <param name="SignAsSlack">Sign the request as Slack does, with the test host's signing secret.</param>
    /// <param name="Status">The status the answer must have.</param>
    /// <param name="Contains">Fragments the answer must contain.</param>
    /// <param name="KeptEvents">How many events the request must have stored.</param>
    /// <param name="KeptAlerts">Fingerprints that must be stored after the request.</param>
    /// <param name="RefusedAlerts">Fingerprints that must not be stored after the request.</param>
    public sealed record CorpusCase(
        string Name,
        string Method,
        string Path,
        string? ContentType,
        string? Body,
        string? BodyBase64,
        bool SignAsSlack,
        int Status,
        string[]? Contains,
        int? KeptEvents,
        string[]? KeptAlerts,
        string[]? RefusedAlerts);
}
