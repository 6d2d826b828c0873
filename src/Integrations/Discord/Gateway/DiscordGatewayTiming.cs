namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// The Gateway client's waits and bounds that are the client's own choice rather than Discord's (Discord sets the
/// heartbeat interval). Every wait runs on the host's <see cref="TimeProvider"/>; tests replace this whole record.
/// </summary>
internal sealed record DiscordGatewayTiming
{
    /// <summary>The wait before the second attempt after failed connections; it doubles with each failure.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait after an Invalid Session (op 9) is random between these: Discord's advice is 1 to 5 seconds.</summary>
    public TimeSpan InvalidSessionMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening the WebSocket, or Discord's Hello after it, may take before the attempt counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing handshake may take before the socket is dropped.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a shutdown began the events already read may still take to be kept and answered.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest Gateway message accepted (several WebSocket frames together). READY lists every guild, so it is the
    /// largest the bot's intents bring; anything far beyond is not a Gateway message and ends the connection.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>A random number in [0, 1): the jitter of the first heartbeat and of the Invalid Session wait.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;
}
