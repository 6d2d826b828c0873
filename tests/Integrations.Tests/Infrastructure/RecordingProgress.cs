using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Integrations.Tests.Infrastructure;

/// <summary>Records every step change and output line a provider reports.</summary>
internal sealed class RecordingProgress : IProviderProgress
{
    private readonly Lock _gate = new();
    private readonly List<(int Index, StepState State, string? Detail)> _steps = [];
    private readonly List<string> _output = [];

    public IReadOnlyList<(int Index, StepState State, string? Detail)> Steps
    {
        get
        {
            lock (_gate)
            {
                return [.. _steps];
            }
        }
    }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return [.. _output];
            }
        }
    }

    public StepState? LastState(int index) => Steps.LastOrDefault(s => s.Index == index) is { State: var state } step && step != default ? state : null;

    public void Step(int index, StepState state, string? detail = null)
    {
        lock (_gate)
        {
            _steps.Add((index, state, detail));
        }
    }

    void IProviderProgress.Output(string line)
    {
        lock (_gate)
        {
            _output.Add(line);
        }
    }
}

/// <summary>A host environment rooted in a test's temporary directory.</summary>
internal sealed class TestHostEnvironment(string contentRoot) : Microsoft.Extensions.Hosting.IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Test";

    public string ApplicationName { get; set; } = "ChatOps.Tests";

    public string ContentRootPath { get; set; } = contentRoot;

    public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
}

/// <summary>Writes small executable shell scripts that stand in for real programs.</summary>
internal static class TestScripts
{
    public static string Write(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
