using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorDemo.Testing;

/// <summary>
/// A private CA and a router certificate it signed, for <c>localhost</c> only, as PEM files in a
/// temporary folder that goes with this object: what a cluster CA (EnMasse's) gives a router.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly DirectoryInfo _folder;

    public TestCertificates()
    {
        _folder = Directory.CreateTempSubdirectory("actordemo-tls-");
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ActorDemo test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CaFile => Path.Combine(_folder.FullName, "ca.pem");

    /// <summary>The router's certificate: <c>localhost</c>, signed by <see cref="CaFile"/>.</summary>
    public string CertificateFile => Path.Combine(_folder.FullName, "router.pem");

    public string KeyFile => Path.Combine(_folder.FullName, "router-key.pem");

    public void Dispose() => _folder.Delete(recursive: true);
}
