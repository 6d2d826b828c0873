using System.Globalization;

namespace ChatOps.Bot.Audit;

/// <summary>
/// Every head the bot has published, one line each (<c>count:hash published-at</c>), in a file outside
/// the state database: verification compares the trail with all of them, so records removed after a
/// head was published are found even when the database's own bookkeeping was rewritten to match.
/// </summary>
internal sealed class AuditHeadLog(string path)
{
    public string Path => path;

    public async Task<IReadOnlyList<PublishedHead>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var heads = new List<PublishedHead>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            var fields = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && AuditHead.TryParse(fields[0], out var head))
            {
                heads.Add(new PublishedHead(head, $"published {(fields.Length > 1 ? fields[1] : "at an unknown time")}, head file {path}"));
            }
        }

        return heads;
    }

    public async Task AppendAsync(AuditHead head, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.AppendAllTextAsync(path, string.Create(CultureInfo.InvariantCulture, $"{head} {publishedAt:O}\n"), cancellationToken);
    }
}
