using Microsoft.Extensions.Logging;

namespace ChatOps.TestCommon;

/// <summary>Routes logs to the current test's output so a failing test shows what the code said.</summary>
public sealed class XunitLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new XunitLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class XunitLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var output = Xunit.TestContext.Current.TestOutputHelper;
            if (output is null)
            {
                return;
            }

            try
            {
                output.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test finished while background work was still logging.
            }
        }
    }
}
