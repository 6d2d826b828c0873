using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>
/// The bot on every interface with a token, reached over real sockets: from loopback, from this machine's
/// network address, and through a real HAProxy with <c>option forwardfor</c> on the same machine.
/// </summary>
public sealed class SocketAccessTests(SocketAccessTests.Bot bot) : IClassFixture<SocketAccessTests.Bot>
{
    private const string Token = "socket-tests-token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> GetAsync(Uri baseAddress, string path, string? bearer = null, string? host = null, (string, string)? header = null)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (header is var (name, value))
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task FromLoopback_NeedsNoToken() =>
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot.Process.BaseAddress, "/api/environments"));

    [Fact]
    public async Task FromLoopbackWithForwardedFor_NeedsTheToken()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(bot.Process.BaseAddress, "/api/environments", header: ("X-Forwarded-For", "203.0.113.9")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot.Process.BaseAddress, "/api/environments", Token, header: ("X-Forwarded-For", "203.0.113.9")));
    }

    [Fact]
    public async Task FromThisMachinesNetworkAddress_NeedsTheToken()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.SkipWhen(address is null, "This machine has no network address besides loopback.");
        var lan = new Uri($"http://{address}:{bot.Process.BaseAddress.Port}/");

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(lan, "/api/environments"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(lan, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(lan, "/api/environments", Token));
    }

    [Fact]
    public async Task ThroughAProxyOnThisMachine_NeedsTheToken()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(bot.Front, "/api/audit"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(bot.Front, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot.Front, "/api/audit", Token));
    }

    [Fact]
    public async Task ThroughAProxy_PostWithoutTokenKeepsNothing()
    {
        using var http = new HttpClient { BaseAddress = bot.Front };

        using var response = await http.PostAsJsonAsync("/api/chat/messages", new { channel = "deploys", user = "alice", text = "/env destroy prod" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await bot.Process.Chat.MessagesAsync("deploys"));
    }

    [Theory]
    [InlineData("rebound.evil.example:{port}", HttpStatusCode.MisdirectedRequest)]
    [InlineData("127.0.0.1:{other}", HttpStatusCode.MisdirectedRequest)]
    [InlineData("localhost:{port}", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:{port}", HttpStatusCode.OK)]
    public async Task HostHeader_IsCheckedAgainstWhereTheBotListens(string host, HttpStatusCode expected)
    {
        var port = bot.Process.BaseAddress.Port;
        var value = host.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", (port + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(expected, await GetAsync(bot.Process.BaseAddress, "/api/chat/channels", host: value));
    }

    [Fact]
    public async Task PageOrigin_IsAcceptedAndAnotherIsRefused()
    {
        using var http = new HttpClient { BaseAddress = bot.Process.BaseAddress };

        async Task<HttpStatusCode> PostAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/messages") { Content = JsonContent.Create(new { channel = "pulse", user = "carol", text = "hello" }) };
            request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(bot.Process.BaseAddress.GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>One bot process on every interface and an HAProxy front for it, shared by the tests above.</summary>
    public sealed class Bot : IAsyncLifetime
    {
        private readonly BotRoot _root = new("chatops-socket-");
        private Process? _haproxy;

        public BotProcess Process { get; private set; } = null!;

        public Uri Front { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var frontPort = BotProcess.FreePort();
            Front = new Uri($"http://127.0.0.1:{frontPort}/");
            Process = await BotProcess.StartAsync(_root.Path, new Dictionary<string, string>
            {
                ["WebChat__AccessToken"] = Token,
                // The proxy passes the Host its clients asked for: its own address is a name this bot answers to.
                ["WebChat__AllowedHosts__0"] = $"127.0.0.1:{frontPort}",
            }, listenHost: "0.0.0.0");
            _haproxy = await StartHaProxyAsync(frontPort, Process.BaseAddress.Port);
        }

        public async ValueTask DisposeAsync()
        {
            if (_haproxy is { HasExited: false })
            {
                _haproxy.Kill(entireProcessTree: true);
                await _haproxy.WaitForExitAsync();
            }

            _haproxy?.Dispose();
            await Process.DisposeAsync();
            _root.Dispose();
        }

        private async Task<Process> StartHaProxyAsync(int frontPort, int botPort)
        {
            var haproxy = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "/usr/bin/haproxy";
            Assert.True(File.Exists(haproxy), "HAProxy is missing: eng/test.sh installs Debian's haproxy package.");
            var config = Path.Combine(_root.Path, "front.cfg");
            await File.WriteAllTextAsync(config, $"""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend front
                    bind 127.0.0.1:{frontPort}
                    option forwardfor
                    default_backend bot
                backend bot
                    server bot 127.0.0.1:{botPort}

                """, Ct);
            var start = new ProcessStartInfo(haproxy) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-db", "-f", config })
            {
                start.ArgumentList.Add(argument);
            }

            var process = System.Diagnostics.Process.Start(start)!;
            await Wait.UntilAsync(
                async () =>
                {
                    try
                    {
                        using var client = new TcpClient();
                        await client.ConnectAsync(IPAddress.Loopback, frontPort, Ct);
                        return true;
                    }
                    catch (SocketException) when (!process.HasExited)
                    {
                        return false;
                    }
                },
                $"HAProxy to listen on {frontPort}");
            return process;
        }
    }
}
