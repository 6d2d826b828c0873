namespace ChatOps.Integrations.Chat.Queue;

/// <summary>What a lane's pacing allows: <see cref="Granted"/> items now, or none until <see cref="ResumeAt"/>.</summary>
public readonly record struct LaneTurns(int Granted, DateTimeOffset? ResumeAt);
