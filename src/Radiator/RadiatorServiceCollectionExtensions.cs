using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Alerts;
using ChatOps.Radiator.Deployments;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using ChatOps.Radiator.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator;

public static class RadiatorServiceCollectionExtensions
{
    private const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// The radiator: event store (embedded SQLite, or Elasticsearch when <c>Elasticsearch:Url</c> is set),
    /// pulse, deployment feed and, without Elasticsearch, the TV show simulator. Everything it says goes
    /// through the chat outbox (<see cref="IChatOutbox"/>, registered here if the host has not), whose
    /// dispatcher sends through the host's <see cref="Integrations.Chat.IChatSender"/>s.
    /// </summary>
    public static IServiceCollection AddRadiator(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        if (!services.Any(d => d.ServiceType == typeof(IChatOutbox)))
        {
            services.AddChatOutbox();
        }

        // One replica at a time runs each schedule (pulse, tails, escalation, rules, retention, deployment watch).
        services.AddReplicas();
        services.AddStateStore()
            .AddStateSchema<EventStoreSchema>()
            .AddStateSchema<DeploymentSchema>();
        // Registered once: a second AddElasticsearch would add its auth handler to the client twice.
        if (!services.Any(d => d.ServiceType == typeof(IElasticsearchClient)))
        {
            services.AddElasticsearch();
        }

        services.AddOptions<RadiatorOptions>().BindConfiguration(RadiatorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RadiatorOptions>, RadiatorOptionsValidator>());
        services.AddOptions<PulseOptions>().BindConfiguration(PulseOptions.SectionName)
            .PostConfigure(o =>
            {
                // Defaults are applied here, not in initializers: binding appends to a list instead of replacing it.
                if (o.Kpis.Count == 0)
                {
                    o.Kpis.AddRange(PulseOptions.DefaultKpis());
                }

                if (o.Channels.Count == 0)
                {
                    o.Channels.Add(PulseOptions.DefaultChannel);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PulseOptions>, PulseOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PulseOptions>, PulseOptionsValidator>());
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.SectionName)
            .PostConfigure(o =>
            {
                if (o.Channels.Count == 0)
                {
                    o.Channels.Add(DeploymentOptions.DefaultChannel);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeploymentOptions>, DeploymentChannelsValidator>());

        services.TryAddSingleton<EmbeddedEventStore>();
        services.TryAddSingleton<EventIngestEndpoint>();
        services.TryAddSingleton<IEventWriter>(sp => UsesElasticsearch(sp)
            ? new ElasticsearchEventWriter(sp.GetRequiredService<IElasticsearchClient>(), sp.GetRequiredService<IOptions<RadiatorOptions>>())
            : sp.GetRequiredService<EmbeddedEventStore>());
        services.TryAddSingleton<IEventSource>(sp => UsesElasticsearch(sp)
            ? new ElasticsearchEventSource(sp.GetRequiredService<IElasticsearchClient>(), sp.GetRequiredService<IOptions<RadiatorOptions>>())
            : new EmbeddedEventSource(sp.GetRequiredService<EmbeddedEventStore>()));
        services.TryAddSingleton<IDeploymentFeed>(sp => new DeploymentFeed(
            sp.GetRequiredService<IChatOutbox>(),
            sp.GetRequiredService<EmbeddedEventStore>(),
            sp.GetRequiredService<IOptions<DeploymentOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeploymentFeed>>(),
            UsesElasticsearch(sp) ? sp.GetRequiredService<IElasticsearchClient>() : null));
        services.TryAddSingleton<PulseService>();
        services.AddAlerts();

        services.AddHostedService<EventRetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<PulseService>());
        // One closed generic type per service: AddHostedService de-duplicates registrations by implementation type.
        services.AddHostedService(sp => new ConditionalService<SimulatorService>(
            SimulatorEnabled(sp),
            () => ActivatorUtilities.CreateInstance<SimulatorService>(sp)));
        services.AddHostedService(sp => new ConditionalService<DeploymentWatchService>(
            UsesElasticsearch(sp) && !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<DeploymentOptions>>().Value.WatchIndex),
            () => ActivatorUtilities.CreateInstance<DeploymentWatchService>(sp, sp.GetRequiredService<IElasticsearchClient>())));
        return services;
    }

    /// <summary>
    /// <c>POST /api/events</c> (JSON array or NDJSON), <c>GET /api/pulse/{kpi}</c> (what the pulse would say),
    /// <c>GET /api/pulse/{kpi}/sparkline.png</c> and <c>POST /api/pulse</c> (post every KPI now).
    /// Returns the group so the host can apply its authorization policy.
    /// </summary>
    public static RouteGroupBuilder MapRadiator(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        api.MapPost("/events", (HttpRequest request, EventIngestEndpoint endpoint, CancellationToken cancellationToken) => endpoint.HandleAsync(request, cancellationToken))
            .DisableAntiforgery();
        api.MapGet("/pulse/{kpi}", async (string kpi, PulseService pulse, CancellationToken cancellationToken) =>
            await ReadPulseAsync(pulse, kpi, report => Results.Ok(report with { Text = ChatTime.Plain(report.Text) }), cancellationToken));
        api.MapGet("/pulse/{kpi}/sparkline.png", async (string kpi, PulseService pulse, CancellationToken cancellationToken) =>
            await ReadPulseAsync(pulse, kpi, report => Results.File(Sparkline.Render(report.Series, report.Window), "image/png"), cancellationToken));
        api.MapPost("/pulse", PostPulseAsync);
        api.MapAlerts();
        return api;
    }

    /// <summary>An <c>Idempotency-Key</c> header makes a retried request post once; without one, every request posts.</summary>
    private static async Task<IResult> PostPulseAsync(HttpRequest request, PulseService pulse, CancellationToken cancellationToken)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > MaxIdempotencyKeyLength)
        {
            return Results.Problem($"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Prefixed so an HTTP caller's key cannot coincide with a chat delivery id.
        var posted = await pulse.PostNowAsync(key.Length == 0 ? null : $"http-{key}", cancellationToken);
        return Results.Ok(new { posted });
    }

    private static async Task<IResult> ReadPulseAsync(PulseService pulse, string kpi, Func<PulseReport, IResult> answer, CancellationToken cancellationToken)
    {
        PulseReport? report;
        try
        {
            report = await pulse.ReadAsync(kpi, cancellationToken);
        }
        catch (Exception ex) when (ex is ElasticsearchException or HttpRequestException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Results.Problem($"The event source is not answering: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return report is null ? Results.Problem($"No KPI named '{kpi}'.", statusCode: StatusCodes.Status404NotFound) : answer(report);
    }

    private static bool UsesElasticsearch(IServiceProvider sp) => sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value.IsConfigured;

    private static bool SimulatorEnabled(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Enabled ?? !UsesElasticsearch(sp);

    /// <summary>Runs a hosted service only when its feature is switched on, decided once at start.</summary>
    private sealed class ConditionalService<T>(bool enabled, Func<T> create) : IHostedService
        where T : class, IHostedService
    {
        private T? _inner;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _inner = enabled ? create() : null;
            return _inner?.StartAsync(cancellationToken) ?? Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => _inner?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
