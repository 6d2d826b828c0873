namespace ChatOps.Bot.Environments;

/// <summary>One environment as configured under <c>Environments:{name}</c>.</summary>
internal sealed class EnvironmentOptions
{
    /// <summary>The compute provider's name: Local, Command or Vagrant. <value>Default: Local.</value></summary>
    public string Provider { get; set; } = "Local";

    /// <summary>Node names, in the order verbs act on them. <value>Default: web1, web2.</value></summary>
    public List<string>? Nodes { get; set; }

    /// <summary>
    /// The load balancer in front of the nodes: <c>HaProxy</c> (a local front is generated and run when
    /// haproxy is installed) or <c>None</c>. <value>Default: HaProxy.</value>
    /// </summary>
    public string LoadBalancer { get; set; } = "HaProxy";

    /// <summary>A short description shown by <c>/env list</c>.</summary>
    public string? Description { get; set; }

    /// <summary>Who may do what, and what needs confirmation or approval.</summary>
    public PolicyOptions Policy { get; set; } = new();
}

/// <summary>
/// Permissions and risk for one environment. Verbs that change something need <see cref="ChangeRole"/>
/// unless <see cref="VerbRoles"/> says otherwise; read-only verbs are open to everyone.
/// </summary>
internal sealed class PolicyOptions
{
    /// <summary>Role needed for every verb that changes something. <value>Default: none (everyone).</value></summary>
    public string? ChangeRole { get; set; }

    /// <summary>Per-verb role, overriding <see cref="ChangeRole"/>; an empty value opens the verb to everyone.</summary>
    public Dictionary<string, string> VerbRoles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Verbs that ask the requester to confirm. <value>Default: the verbs whose commands confirm by default (halt, destroy, balance, sorry).</value></summary>
    public List<string>? Confirm { get; set; }

    /// <summary>Verbs that, once confirmed, also need a second person's approval. <value>Default: none.</value></summary>
    public List<string>? Approve { get; set; }

    /// <summary>Role an approver must hold. <value>Default: <see cref="ChangeRole"/>, or ops.</value></summary>
    public string? ApproverRole { get; set; }
}
