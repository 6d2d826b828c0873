using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// Trusts a server certificate that passes default validation, or that the configuration vouches for:
/// a chain ending at the configured CA file, or a certificate in the chain whose SHA-256 fingerprint
/// matches (what Elasticsearch prints at first start). Anything else is rejected.
/// </summary>
internal sealed class ElasticsearchCertificateValidator
{
    private readonly byte[]? _fingerprint;
    private readonly X509Certificate2? _ca;
    private readonly ILogger _logger;

    public ElasticsearchCertificateValidator(ElasticsearchOptions options, ILogger logger)
    {
        _logger = logger;
        _fingerprint = options.CertificateFingerprint is { Length: > 0 } text ? CertificateFingerprint.TryParse(text)
            ?? throw new InvalidOperationException("Elasticsearch:CertificateFingerprint is not a SHA-256 fingerprint.") : null;
        _ca = options.CaCertificatePath is { Length: > 0 } path ? LoadCertificate(path) : null;
    }

    public bool HasCustomTrust => _fingerprint is not null || _ca is not null;

    /// <summary>The primary handler for the typed client: default TLS unless configuration adds trust.</summary>
    public static SocketsHttpHandler CreateHandler(ElasticsearchOptions options, ILogger logger)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var validator = new ElasticsearchCertificateValidator(options, logger);
        if (validator.HasCustomTrust)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validator.Validate;
        }

        return handler;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (_fingerprint is not null && Matches(leaf))
        {
            return true; // The exact server certificate is pinned: that is its identity, whatever the host name.
        }

        var nameOk = !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        if (nameOk && _fingerprint is not null && chain is not null && chain.ChainElements.Skip(1).Any(e => Matches(e.Certificate)))
        {
            return true; // A pinned CA vouches for the chain, but the name must still match.
        }

        if (nameOk && _ca is not null && ChainsToCa(leaf, chain))
        {
            return true;
        }

        Log.CertificateRejected(_logger, leaf.Subject, Convert.ToHexString(SHA256.HashData(leaf.RawData)), errors.ToString());
        return false;
    }

    private bool Matches(X509Certificate2 certificate) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.RawData), _fingerprint);

    private bool ChainsToCa(X509Certificate2 leaf, X509Chain? presented)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.Add(_ca!);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }
}
