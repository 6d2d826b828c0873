using System.Text.RegularExpressions;
using ChatOps.Integrations.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Bot.Hosting;

/// <summary>
/// Every error the host answers is a ProblemDetails that says what was wrong: a query or route value
/// that does not bind names the parameter and the value, an unknown path says so, a state store out of
/// disk is a 507 or 503 with its reason, and anything unexpected is a 500 that says nothing was known
/// to be saved. Endpoints that already write their own ProblemDetails are left alone.
/// </summary>
internal static class ProblemResponses
{
    public static IServiceCollection AddProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Outside Development a parameter that does not bind is a bare 400; thrown, it reaches the
        // handler below with its message ("Failed to bind parameter "int? limit" from "abc".").
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>First in the pipeline, so that it sees every exception and every empty error.</summary>
    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => WriteEmptyErrorAsync(context.HttpContext));
        return app;
    }

    private static Task WriteEmptyErrorAsync(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"There is nothing at {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}.",
            StatusCodes.Status401Unauthorized => "The request is not signed or authorized as this endpoint requires.",
            _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? $"{phrase}." : $"The request failed with status {status}.",
        };
        return TypedResults.Problem(detail: detail, statusCode: status).ExecuteAsync(context);
    }
}

/// <summary>Turns an exception that escaped an endpoint into the ProblemDetails that describes it.</summary>
internal sealed partial class ProblemExceptionHandler(StateDatabase database, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemHttpResult problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = TypedResults.Problem(detail: Explain(bad.Message), statusCode: bad.StatusCode, title: "Bad request");
        }
        else if (database.FaultOf(exception) is { } fault)
        {
            database.ReportWrite(fault);
            Log.StorageFault(logger, httpContext.Request.Method, httpContext.Request.Path, fault.Reason);
            problem = TypedResults.Problem(
                detail: $"Nothing was saved: {fault.Summary}.{(fault.Kind == StorageFaultKind.Full ? " Try again once there is room." : "")} The host's log names the cause.",
                statusCode: fault.Kind == StorageFaultKind.Full ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable,
                title: "The state store cannot be written");
        }
        else
        {
            problem = TypedResults.Problem(
                detail: "The request failed unexpectedly; whether any of it was saved is not known. The host's log has the details.",
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Unexpected error");
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }

    // Minimal APIs say `Failed to bind parameter "Nullable<int> limit" from "abc".`; the sender wants
    // the parameter, the value and what would have been accepted.
    private static string Explain(string message)
    {
        var match = BindFailure().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var (type, name, value) = (match.Groups["type"].Value, match.Groups["name"].Value, match.Groups["value"].Value);
        var expected = type switch
        {
            "int" or "Nullable<int>" => $"a whole number from {int.MinValue} to {int.MaxValue}",
            "long" or "Nullable<long>" => $"a whole number from {long.MinValue} to {long.MaxValue}",
            "bool" or "Nullable<bool>" => "true or false",
            _ => $"a {type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>')}",
        };
        return $"`{name}` must be {expected}, not \"{value}\".";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
