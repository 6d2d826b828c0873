using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatOps.Integrations.Elasticsearch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>
/// TLS trust against a loopback Kestrel peer whose certificates are made here: a pinned fingerprint
/// or a configured CA is accepted, anything else rejected, exactly as a self-signed Elasticsearch
/// node would be met.
/// </summary>
public sealed class ElasticsearchTlsTests : IDisposable
{
    // TLS validity is checked against the real clock, so certificates are dated from it.
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();

    private readonly string _dir = Directory.CreateTempSubdirectory("chatops-es-tls-").FullName;

    [Fact]
    public async Task InfoAsync_SelfSignedWithMatchingFingerprint_Accepted()
    {
        using var certificate = SelfSigned("localhost");
        await using var peer = await StartPeerAsync(certificate);
        var fingerprint = string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)));

        var info = await CreateClient(peer, o => o.CertificateFingerprint = fingerprint).InfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal("my_test_cluster", info.ClusterName);
    }

    [Fact]
    public async Task InfoAsync_PinnedLeafWithOtherHostName_Accepted()
    {
        // Pinning the exact certificate is its identity: nodes reached through another DNS name still work.
        using var certificate = SelfSigned("es-node-1.internal");
        await using var peer = await StartPeerAsync(certificate);

        var info = await CreateClient(peer, o => o.CertificateFingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData))).InfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal("9.1.0", info.Version.Number);
    }

    [Fact]
    public async Task InfoAsync_SelfSignedWithOtherFingerprint_Rejected()
    {
        using var certificate = SelfSigned("localhost");
        using var other = SelfSigned("localhost");
        await using var peer = await StartPeerAsync(certificate);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() =>
            CreateClient(peer, o => o.CertificateFingerprint = Convert.ToHexString(SHA256.HashData(other.RawData))).InfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal("connection_failed", ex.ErrorType);
        Assert.Equal(0, peer.Requests);
    }

    [Fact]
    public async Task InfoAsync_SelfSignedWithoutPinning_RejectedByDefaultValidation()
    {
        using var certificate = SelfSigned("localhost");
        await using var peer = await StartPeerAsync(certificate);

        await Assert.ThrowsAsync<ElasticsearchException>(() => CreateClient(peer, _ => { }).InfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, peer.Requests);
    }

    [Fact]
    public async Task InfoAsync_ChainToConfiguredCaFile_Accepted()
    {
        using var ca = CertificateAuthority("ChatOps Test CA");
        using var leaf = IssuedBy(ca, "localhost");
        await using var peer = await StartPeerAsync(leaf);
        var caPath = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem(), TestContext.Current.CancellationToken);

        var health = await CreateClient(peer, o => o.CaCertificatePath = caPath).ClusterHealthAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Yellow, health.Health);
    }

    [Fact]
    public async Task InfoAsync_ChainToAnotherCa_Rejected()
    {
        using var ca = CertificateAuthority("ChatOps Test CA");
        using var stranger = CertificateAuthority("Someone Else's CA");
        using var leaf = IssuedBy(ca, "localhost");
        await using var peer = await StartPeerAsync(leaf);
        var caPath = Path.Combine(_dir, "stranger.der");
        await File.WriteAllBytesAsync(caPath, stranger.RawData, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ElasticsearchException>(() => CreateClient(peer, o => o.CaCertificatePath = caPath).InfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, peer.Requests);
    }

    [Fact]
    public async Task InfoAsync_CaFileButWrongHostName_Rejected()
    {
        using var ca = CertificateAuthority("ChatOps Test CA");
        using var leaf = IssuedBy(ca, "elsewhere.example");
        await using var peer = await StartPeerAsync(leaf);
        var caPath = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem(), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ElasticsearchException>(() => CreateClient(peer, o => o.CaCertificatePath = caPath).InfoAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ElasticsearchClient CreateClient(Peer peer, Action<ElasticsearchOptions> configure)
    {
        var options = new ElasticsearchOptions { Url = peer.Url, MaxRetries = 1, RetryBaseDelay = TimeSpan.Zero };
        configure(options);
        var logger = CreateLogger();
        var handler = ElasticsearchCertificateValidator.CreateHandler(options, logger);
        return new ElasticsearchClient(new HttpClient(handler), Options.Create(options), TimeProvider.System, logger);
    }

    private static async Task<Peer> StartPeerAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var peer = new Peer(app);
        app.MapGet("/", () => peer.Answer("RootNodeInfoResponseExample1"));
        app.MapGet("/_cluster/health", () => peer.Answer("ClusterHealthResponseExample1"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(app.Urls.Single()).Port;
        peer.Url = new Uri($"https://localhost:{port}/");
        return peer;
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, host);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        return Reload(certificate);
    }

    private static X509Certificate2 CertificateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(2));
        return Reload(certificate);
    }

    private static X509Certificate2 IssuedBy(X509Certificate2 ca, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, host);
        using var issued = request.Create(ca, Now.AddDays(-1), Now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    private static void AddServerExtensions(CertificateRequest request, string host)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
    }

    /// <summary>Kestrel on Linux needs a key it can export to OpenSSL; a PKCS#12 round trip gives one.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);

    private sealed class Peer(WebApplication app) : IAsyncDisposable
    {
        private int _requests;

        public Uri Url { get; set; } = null!;

        public int Requests => Volatile.Read(ref _requests);

        public IResult Answer(string example)
        {
            Interlocked.Increment(ref _requests);
            return Results.Text(Example(example), "application/json");
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
