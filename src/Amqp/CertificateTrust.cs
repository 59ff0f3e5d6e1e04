using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorDemo.Amqp;

/// <summary>
/// Which router certificates a client trusts: the system's roots, and those of a private CA given
/// in a PEM file (EnMasse's endpoints and most clusters use one). The host name must match either way.
/// </summary>
internal sealed class CertificateTrust
{
    /// <summary>The setting of <see cref="AmqpEndpoint.Create"/> that names the CA file.</summary>
    private const string CaFileSetting = "CaFile";

    private readonly X509Certificate2Collection? _roots;
    private readonly string _caFile;

    private CertificateTrust(X509Certificate2Collection? roots, SettingName name)
    {
        _roots = roots;
        _caFile = name(CaFileSetting);
    }

    public static CertificateTrust System(SettingName name) => new(null, name);

    /// <exception cref="AmqpSettingsException">The file is missing or holds no certificate.</exception>
    public static CertificateTrust FromPemFile(string path, SettingName name)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AmqpSettingsException(CaFileSetting, $"'{path}' cannot be read as PEM certificates ({e.Message}); give the CA certificate that signed the router's, in PEM.");
        }

        return roots.Count == 0
            ? throw new AmqpSettingsException(CaFileSetting, $"'{path}' holds no certificate; give the CA certificate that signed the router's, in PEM.")
            : new CertificateTrust(roots, name);
    }

    /// <summary>Why the router's certificate is not trusted, or null when it is.</summary>
    public string? Rejects(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || certificate is null)
        {
            return $"its certificate does not name the host we connected to ({errors}); connect with a host name the certificate carries";
        }

        if (_roots is null)
        {
            return $"its certificate is not signed by a CA this machine trusts ({Status(chain)}); give the CA with {_caFile}";
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the router sent, for a CA that signed through one.
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()))
            ? null
            : $"its certificate is not signed by the CA of {_caFile} ({Status(custom)}); give the CA that signed it";
    }

    private static string Status(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0 ? "untrusted" : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
}
