using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>The real process refuses to start when it would listen beyond loopback without a token.</summary>
public sealed class ListenBeyondLoopbackTests : IDisposable
{
    private readonly BotRoot _root = new("chatops-listen-");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("http://0.0.0.0:{port}")]
    [InlineData("http://[::]:{port}")]
    [InlineData("http://+:{port}")]
    [InlineData("http://*:{port}")]
    [InlineData("http://chatops.example.com:{port}")]
    [InlineData("http://127.0.0.1:{port};http://0.0.0.0:{other}")]
    public async Task Start_BeyondLoopbackWithoutToken_ExitsNamingTheSetting(string urls)
    {
        var configured = urls.Replace("{port}", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var (exitCode, output, error) = await BotProcess.RunUntilExitAsync(_root.Path, configured);

        Assert.Equal(2, exitCode);
        Assert.Contains("WebChat:AccessToken is required because the host listens beyond loopback", error);
        Assert.Contains(configured.Split(';')[^1], error);
        Assert.DoesNotContain("   at ", error + output);
    }

    [Fact]
    public async Task Start_HttpPortsWithoutToken_ExitsNamingTheSetting()
    {
        var port = BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        // HTTP_PORTS (the container images' default) binds every interface when Urls is empty.
        var (exitCode, _, error) = await BotProcess.RunUntilExitAsync(_root.Path, "", new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port });

        Assert.Equal(2, exitCode);
        Assert.Contains($"http://*:{port}", error);
    }

    [Fact]
    public async Task Start_KestrelEndpointBeyondLoopbackWithoutToken_Exits()
    {
        var port = BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, _, error) = await BotProcess.RunUntilExitAsync(_root.Path, $"http://127.0.0.1:{port}",
            new Dictionary<string, string> { ["Kestrel__Endpoints__Lan__Url"] = $"http://0.0.0.0:{port}" });

        Assert.Equal(2, exitCode);
        Assert.Contains("WebChat:AccessToken", error);
    }

    [Fact]
    public async Task Start_BadAllowedHost_ExitsNamingIt()
    {
        var port = BotProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, _, error) = await BotProcess.RunUntilExitAsync(_root.Path, $"http://127.0.0.1:{port}",
            new Dictionary<string, string> { ["WebChat__AllowedHosts__0"] = "https://chatops.example.com/path" });

        Assert.Equal(2, exitCode);
        Assert.Contains("WebChat:AllowedHosts: `https://chatops.example.com/path`", error);
    }
}
