namespace ChatOps.Bot.Conversations;

/// <summary>Why an answer to a confirmation or approval was not recorded, as facts; nothing changed.</summary>
internal abstract record DecisionRefusal
{
    /// <summary>The refusal is about who answered (not theirs to answer): it goes to the audit trail.</summary>
    public virtual bool AboutWhoAnswered => false;

    /// <summary>No such decision: the button is older than anything the bot remembers.</summary>
    public sealed record Unknown : DecisionRefusal;

    /// <summary>The button is not one of this decision's (an approve button on a confirmation).</summary>
    public sealed record NotThisRequest : DecisionRefusal;

    /// <summary>Answered before; <paramref name="By"/> is null when another answer won at the same moment.</summary>
    public sealed record AlreadyAnswered(DecisionStatus Status, string? By) : DecisionRefusal;

    /// <summary>Nobody answered in time; it expired <paramref name="Ago"/> ago.</summary>
    public sealed record Expired(TimeSpan Ago) : DecisionRefusal;

    /// <summary>Only the requester confirms or cancels their request.</summary>
    public sealed record NotRequester(string RequesterName) : DecisionRefusal
    {
        public override bool AboutWhoAnswered => true;
    }

    /// <summary>Nobody approves their own request.</summary>
    public sealed record OwnRequest(string ApproverRole) : DecisionRefusal
    {
        public override bool AboutWhoAnswered => true;
    }

    /// <summary>Approving needs the approver role.</summary>
    public sealed record MissingRole(string ApproverRole) : DecisionRefusal
    {
        public override bool AboutWhoAnswered => true;
    }
}

/// <summary>What became of an answer: recorded (exactly once), or refused with the reason.</summary>
internal abstract record DecisionAnswer
{
    /// <summary>The decision as answered: its status and who answered it are set.</summary>
    public sealed record Recorded(Decision Decision) : DecisionAnswer;

    public sealed record Refused(Decision? Decision, DecisionRefusal Refusal) : DecisionAnswer;
}
