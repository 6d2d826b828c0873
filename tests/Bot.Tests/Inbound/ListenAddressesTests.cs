using ChatOps.Bot.Access;
using Microsoft.Extensions.Configuration;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>Where Kestrel will listen, read as Kestrel reads it, and whether that reaches beyond this machine.</summary>
public sealed class ListenAddressesTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://127.1.2.3:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://LOCALHOST:5080/", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://unix:/run/chatops.sock", false)]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://[::]:5080", true)]
    [InlineData("http://+:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("https://192.168.1.5:5443", true)]
    [InlineData("http://chatops.lan:5080", true)]
    [InlineData("http://localhost.evil.example:5080", true)]
    public void IsBeyondLoopback_ClassifiesTheAddress(string url, bool beyond) =>
        Assert.Equal(beyond, ListenAddresses.IsBeyondLoopback(url));

    [Fact]
    public void Configured_KestrelEndpointsOverrideUrls() =>
        Assert.Equal(["http://0.0.0.0:1"], ListenAddresses.Configured(Config(("urls", "http://127.0.0.1:5080"), ("Kestrel:Endpoints:Lan:Url", "http://0.0.0.0:1"))));

    [Fact]
    public void Configured_UrlsSplitOnSemicolons() =>
        Assert.Equal(["http://127.0.0.1:1", "http://[::]:2"], ListenAddresses.Configured(Config(("urls", "http://127.0.0.1:1; http://[::]:2"))));

    [Fact]
    public void Configured_HttpPortsWithoutUrls_AreEveryInterface() =>
        Assert.Equal(["http://*:8080", "https://*:8443"], ListenAddresses.Configured(Config(("http_ports", "8080"), ("https_ports", "8443"))));

    [Fact]
    public void Configured_Nothing_IsKestrelsLocalhostDefault() =>
        Assert.Equal(["http://localhost:5000"], ListenAddresses.Configured(Config()));
}
