using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ChatOps.TestCommon;

/// <summary>A host environment rooted at a test's temporary directory, for code that resolves paths against the content root.</summary>
public sealed class TestHostEnvironment(string root) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Test";

    public string ApplicationName { get; set; } = "tests";

    public string ContentRootPath { get; set; } = root;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
