using System.Net;
using ChatOps.Integrations.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// Holds the bot's Gateway session for as long as the host runs (with <c>Discord:Gateway</c> and a bot token): asks
/// <c>GET /gateway/bot</c> where to connect, plays one <see cref="GatewayConnection"/> after another, and decides
/// between them. A connection that ends with the session intact is resumed on READY's resume URL, at once the first
/// time and after a doubling backoff when attempts keep failing; one whose session is gone identifies again on the
/// first URL. The close codes Discord marks as not to be retried (a bad token, a privileged intent not switched on),
/// and a token <c>GET /gateway/bot</c> refuses, stop it for good, reported in the log and in <c>/healthz</c> with what to change.
/// </summary>
internal sealed class DiscordGatewayClient(
    IDiscordRest rest,
    GatewayDispatcher dispatcher,
    GatewaySession session,
    DiscordGatewayState state,
    DiscordGatewayTiming timing,
    IOptions<DiscordOptions> options,
    TimeProvider timeProvider,
    ILogger<DiscordGatewayClient> logger) : BackgroundService
{
    /// <summary>How many times in a row the resume URL may be unreachable before the session is given up.</summary>
    internal const int ResumeAttempts = 3;

    private Uri? _gatewayUrl;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events read before a shutdown are kept all the same (a new session does not get them again), for at most
        // DrainTime after it began: an inbox write takes milliseconds, an interaction's callback to Discord longer.
        using var draining = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using var stopping = stoppingToken.Register(() => draining.CancelAfter(timing.DrainTime));
        var dispatching = dispatcher.RunAsync(draining.Token);
        try
        {
            await ConnectUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            // No more events can arrive: what is queued is handled, then the dispatcher ends.
            dispatcher.Complete();
            await dispatching;
        }
    }

    private async Task ConnectUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ConnectionEnd end;
            try
            {
                end = await ConnectOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DiscordApiException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
            {
                // GET /gateway/bot refused the token: no attempt will succeed until someone sets a valid one, so stop as 4004 does.
                end = new(CloseAction.Stop, "Discord refused the bot token at GET /gateway/bot (401 Unauthorized). Set Discord__BotToken to the "
                    + "token from the Bot page of the application in the developer portal and restart the bot.", ReachedSession: false);
            }
            catch (Exception e)
            {
                // The edge of the loop: whatever broke this attempt (GET /gateway/bot failing too), log it and try again.
                Log.AttemptFailed(logger, e);
                end = new(session.CanResume ? CloseAction.Resume : CloseAction.Identify, e.Message, ReachedSession: false);
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (end.Next == CloseAction.Stop)
            {
                var advice = GatewayCloseCodes.Advice(end.CloseCode) ?? end.Reason;
                state.MarkStopped(timeProvider.GetUtcNow(), advice);
                Log.Stopped(logger, advice);
                return;
            }

            failures = end.ReachedSession ? 0 : failures + 1;
            if (end.Next == CloseAction.Identify || (!end.Connected && failures >= ResumeAttempts && session.CanResume))
            {
                // Discord's advice when resuming keeps failing: a new connection on the first URL, and a new session.
                session.End();
            }

            state.MarkDisconnected(timeProvider.GetUtcNow(), end.Reason, failure: !end.ReachedSession);
            var delay = end.Delay ?? Backoff(failures);
            Log.Reconnecting(logger, end.Reason, end.Next == CloseAction.Resume && session.CanResume ? "resume" : "identify", delay, failures);
            await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>No wait after a connection that worked; after failed ones, a doubling wait up to the maximum.</summary>
    internal TimeSpan Backoff(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = timing.ReconnectDelay * Math.Pow(2, Math.Min(failures - 1, 30));
        return delay > timing.MaxReconnectDelay ? timing.MaxReconnectDelay : delay;
    }

    private async Task<ConnectionEnd> ConnectOnceAsync(CancellationToken stoppingToken)
    {
        var connection = new GatewayConnection(session, state, dispatcher, timing, options.Value.BotToken!, timeProvider, logger);
        if (session.CanResume)
        {
            return await connection.RunAsync(session.ResumeUrl!, resume: true, stoppingToken);
        }

        var url = await GatewayUrlAsync(stoppingToken);
        return await connection.RunAsync(url, resume: false, stoppingToken);
    }

    /// <summary>Where to identify: asked of <c>GET /gateway/bot</c> before each new session, which also says whether one may start now.</summary>
    private async Task<Uri> GatewayUrlAsync(CancellationToken stoppingToken)
    {
        DiscordGatewayInfo info;
        try
        {
            info = await rest.GetGatewayBotAsync(stoppingToken);
        }
        catch (Exception e) when (_gatewayUrl is not null && e is not OperationCanceledException)
        {
            // Discord's advice is to cache the URL: use the last one rather than wait for the API.
            Log.GatewayBotFailed(logger, _gatewayUrl, e);
            return _gatewayUrl;
        }

        _gatewayUrl = info.Url;
        if (info.SessionStartsRemaining <= 0)
        {
            // Identifying past the daily limit resets the bot's token; wait for the limit to reset instead.
            Log.SessionStartsExhausted(logger, info.SessionStartsResetAfter);
            state.MarkDisconnected(timeProvider.GetUtcNow(), $"no session starts left today; the next in {info.SessionStartsResetAfter}", failure: true);
            await Task.Delay(info.SessionStartsResetAfter, timeProvider, stoppingToken);
        }

        return info.Url;
    }
}
