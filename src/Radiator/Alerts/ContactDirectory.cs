namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Each person's accounts, from <c>Identity:People</c> (person → user keys <c>platform:id</c>): the
/// same setting that links a person's accounts for roles and approvals, so the product keeps one list
/// of people. Escalations use it to mention someone where each destination's platform notifies them.
/// </summary>
public sealed class ContactDirectory
{
    /// <summary>The configuration section read, shared with the bot's identity settings.</summary>
    public const string SectionName = "Identity:People";

    private readonly Dictionary<string, List<string>> _people;

    public ContactDirectory(IReadOnlyDictionary<string, List<string>>? people = null)
    {
        _people = new(people ?? new Dictionary<string, List<string>>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The person's user id on <paramref name="platform"/>, or null when none is listed there.</summary>
    public string? AccountOn(string person, string platform)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(platform);
        var prefix = platform + ":";
        return _people.GetValueOrDefault(person)?.FirstOrDefault(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))?[prefix.Length..];
    }
}
