import Foundation
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test PKI for `webjcase pki test-ca DIR`, tests and the demo: a test root, an XCA-like intermediate with the XCA's issuer
/// name, a staff CA, organization certificates (RSA-2048 or P-256, carrying the organization id attribute) and staff
/// certificates. The root is marked unmistakably (its subject's O and a private extension); a `production` trust refuses it.
public enum TestPKI {
    /// The O of the test root's subject.
    public static let testRootOrganization = "webjcase TEST ROOT - NOT FOR PRODUCTION"
    /// The private, non-critical extension every test root carries, under the ITU-T/ISO "example" arc 2.999 (X.660), which no
    /// real CA uses; its value is a UTF8String warning.
    public static let testRootMarkerOID = "2.999.8869.1"

    /// Key types for test certificates.
    public enum KeyType: String, Sendable, Hashable, Codable {
        case rsa2048, rsa3072, p256

        func generate() throws -> CertificateKey {
            switch self {
            case .rsa2048: try .generateRSA(bits: 2048)
            case .rsa3072: try .generateRSA(bits: 3072)
            case .p256: .generateP256()
            }
        }
    }

    /// An applicant organization: its id goes into subjectDirectoryAttributes.
    public struct Organization: Sendable, Hashable {
        public var id: String
        public var name: String
        public var keyType: KeyType

        public init(id: String, name: String, keyType: KeyType = .rsa2048) {
            self.id = id
            self.name = name
            self.keyType = keyType
        }
    }

    /// A member of staff (a person's signing certificate issued by the test staff CA).
    public struct Staff: Sendable, Hashable {
        public var name: String
        public var keyType: KeyType

        public init(name: String, keyType: KeyType = .p256) {
            self.name = name
            self.keyType = keyType
        }
    }

    /// The validity window of every certificate made.
    public struct Validity: Sendable, Hashable {
        public var notBefore: Date
        public var notAfter: Date

        public init(notBefore: Date, notAfter: Date) {
            self.notBefore = notBefore
            self.notAfter = notAfter
        }

        /// 2025-01-01 to 2036-01-01 UTC: fixed, so that what is made with it does not go stale.
        public static let standard = Validity(
            notBefore: X509Time.date(year: 2025, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0),
            notAfter: X509Time.date(year: 2036, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0))
    }

    /// Paths of one certificate made.
    public struct Issued: Sendable, Hashable {
        /// The certificate (PEM).
        public let certificate: URL
        /// Its private key (PKCS#8 PEM, mode 0600).
        public let key: URL
        /// Leaf and issuing CA (PEM), what `sign --cert` attaches.
        public let chain: URL
        /// The SSH fingerprint of its key (the envelope keyid).
        public let keyID: String
    }

    /// What ``make(at:organizations:staff:validity:)`` wrote.
    public struct Output: Sendable {
        /// `DIR/trust/roots/webjcase-test-root.pem`: copy into a repository's `trust/roots/`.
        public let rootCertificate: URL
        /// `DIR/trust/crl/`: empty CRLs of both CAs, signed by them.
        public let crlDirectory: URL
        /// `DIR/ca/`: CA certificates and keys (0600), to issue more or to revoke.
        public let caDirectory: URL
        /// By organization id.
        public let organizations: [String: Issued]
        /// By staff name.
        public let staff: [String: Issued]
    }

    /// Writes a complete test PKI under `directory` (created if needed):
    /// `trust/roots/webjcase-test-root.pem`, `trust/ca/{test-xca,test-staff-ca}.pem`, `trust/crl/{test-xca,test-staff-ca}.crl`,
    /// `ca/{test-root,test-xca,test-staff-ca}.{pem,key}`, `organizations/<id>.{pem,key,chain.pem}`,
    /// `staff/<name>.{pem,key,chain.pem}`. Keys are PKCS#8 PEM with mode 0600. Existing files are overwritten.
    @discardableResult
    public static func make(at directory: URL, organizations: [Organization], staff: [Staff], validity: Validity = .standard) throws -> Output {
        for name in organizations.map(\.id) + staff.map(\.name) {
            guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), name.utf8.count <= 100 else {
                throw SigningError(.malformedCertificate, detail: "unusable file name \(name.prefix(40))")
            }
        }
        let fm = FileManager.default
        let roots = directory.appendingPathComponent("trust/roots", isDirectory: true)
        let crls = directory.appendingPathComponent("trust/crl", isDirectory: true)
        let issuing = directory.appendingPathComponent("trust/ca", isDirectory: true)
        let ca = directory.appendingPathComponent("ca", isDirectory: true)
        let orgDir = directory.appendingPathComponent("organizations", isDirectory: true)
        let staffDir = directory.appendingPathComponent("staff", isDirectory: true)
        for dir in [roots, crls, issuing] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
        for dir in [ca, orgDir, staffDir] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }

        let root = try Authority.root(key: .generateP256(), validity: validity)
        let xca = try root.issueCA(subject: XCAIdentity.issuerName, key: try KeyType.rsa2048.generate(), validity: validity)
        let staffCA = try root.issueCA(subject: [
            NameAttribute(oid: "2.5.4.6", value: "TW"),
            NameAttribute(oid: "2.5.4.10", value: "webjcase TEST"),
            NameAttribute(oid: "2.5.4.3", value: "webjcase Test Staff CA"),
        ], key: .generateP256(), validity: validity)

        let rootURL = roots.appendingPathComponent("webjcase-test-root.pem")
        try write(root.pem, to: rootURL)
        try writeKey(root.key, to: ca.appendingPathComponent("test-root.key"))
        for (name, authority) in [("test-xca", xca), ("test-staff-ca", staffCA)] {
            try write(authority.pem, to: ca.appendingPathComponent("\(name).pem"))
            // The issuing CA as a repository takes it (`trust/ca/`): its CRLs are admitted by its key.
            try write(authority.pem, to: issuing.appendingPathComponent("\(name).pem"))
            try writeKey(authority.key, to: ca.appendingPathComponent("\(name).key"))
            try authority.crl(revoked: [], thisUpdate: validity.notBefore, nextUpdate: validity.notAfter)
                .write(to: crls.appendingPathComponent("\(name).crl"))
        }

        func issue(_ authority: Authority, stem: String, in dir: URL, subject: [NameAttribute], keyType: KeyType, organizationID: String?) throws -> Issued {
            try TestPKI.issue(authority, stem: stem, in: dir, subject: subject, keyType: keyType, organizationID: organizationID, validity: validity)
        }
        var issuedOrgs: [String: Issued] = [:]
        for org in organizations {
            issuedOrgs[org.id] = try issue(xca, stem: org.id, in: orgDir, subject: organizationSubject(org), keyType: org.keyType, organizationID: org.id)
        }
        var issuedStaff: [String: Issued] = [:]
        for person in staff {
            issuedStaff[person.name] = try issue(staffCA, stem: person.name, in: staffDir, subject: [
                NameAttribute(oid: "2.5.4.6", value: "TW"),
                NameAttribute(oid: "2.5.4.10", value: "webjcase TEST"),
                NameAttribute(oid: "2.5.4.3", value: person.name),
            ], keyType: person.keyType, organizationID: nil)
        }
        return Output(rootCertificate: rootURL, crlDirectory: crls, caDirectory: ca, organizations: issuedOrgs, staff: issuedStaff)
    }

    /// Issues one more certificate for `organization` from the test XCA of a PKI that ``make(at:organizations:staff:validity:)``
    /// wrote at `directory`, with its own `validity` (one not yet valid, say): `organizations/<stem>.{pem,key,chain.pem}`.
    public static func issueOrganization(_ organization: Organization, stem: String, validity: Validity, at directory: URL) throws -> Issued {
        guard !stem.isEmpty, !stem.contains("/"), !stem.hasPrefix("."), stem.utf8.count <= 100 else {
            throw SigningError(.malformedCertificate, detail: "unusable file name \(stem.prefix(40))")
        }
        return try issue(try authority(at: directory, name: "test-xca"), stem: stem, in: directory.appendingPathComponent("organizations", isDirectory: true),
                         subject: organizationSubject(organization), keyType: organization.keyType, organizationID: organization.id,
                         validity: validity)
    }

    /// Rewrites `trust/crl/test-xca.crl` of a PKI that ``make(at:organizations:staff:validity:)`` wrote at `directory`: the
    /// test XCA's list revoking each certificate (PEM file) at its date, issued at `thisUpdate`, next due at `nextUpdate`.
    public static func revokeOrganizations(_ revoked: [(certificate: URL, at: Date)], thisUpdate: Date, nextUpdate: Date,
                                           at directory: URL) throws {
        let xca = try authority(at: directory, name: "test-xca")
        let entries = try revoked.map { (try Certificate(pemEncoded: String(contentsOf: $0.certificate, encoding: .utf8)), $0.at) }
        try xca.crl(revoked: entries, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
            .write(to: directory.appendingPathComponent("trust/crl/test-xca.crl"))
    }

    /// A CA that ``make(at:organizations:staff:validity:)`` wrote under `directory/ca/`.
    static func authority(at directory: URL, name: String) throws -> Authority {
        let ca = directory.appendingPathComponent("ca", isDirectory: true)
        let certificate = try Certificate(pemEncoded: String(contentsOf: ca.appendingPathComponent("\(name).pem"), encoding: .utf8))
        return Authority(certificate: certificate, key: try CertificateKey.load(path: ca.appendingPathComponent("\(name).key").path))
    }

    static func organizationSubject(_ organization: Organization) -> [NameAttribute] {
        [NameAttribute(oid: "2.5.4.6", value: "TW"), NameAttribute(oid: "2.5.4.10", value: organization.name),
         NameAttribute(oid: "2.5.4.3", value: organization.name)]
    }

    static func issue(_ authority: Authority, stem: String, in dir: URL, subject: [NameAttribute], keyType: KeyType,
                      organizationID: String?, validity: Validity) throws -> Issued {
        let key = try keyType.generate()
        let leaf = try authority.issueLeaf(subject: subject, key: key, validity: validity, organizationID: organizationID)
        let cert = dir.appendingPathComponent("\(stem).pem")
        let keyURL = dir.appendingPathComponent("\(stem).key")
        let chain = dir.appendingPathComponent("\(stem).chain.pem")
        try write(pem(leaf), to: cert)
        try writeKey(key, to: keyURL)
        try write(pem(leaf) + authority.pem, to: chain)
        return Issued(certificate: cert, key: keyURL, chain: chain, keyID: key.publicKey.fingerprint)
    }

    /// Whether a PEM certificate is a test root (marker extension, or the test root's O in its subject).
    public static func isTestRoot(certificatePEM: String) -> Bool {
        // A bundle counts when any of its certificates is a test root.
        guard let documents = try? PEMDocument.parseMultiple(pemString: certificatePEM) else { return false }
        return documents.contains { document in
            document.discriminator == "CERTIFICATE" && (try? Certificate(derEncoded: document.derBytes)).map(isTestRoot) == true
        }
    }

    static func isTestRoot(_ certificate: Certificate) -> Bool {
        let marker = try! ASN1ObjectIdentifier(dotRepresentation: testRootMarkerOID)
        if certificate.extensions[oid: marker] != nil { return true }
        let organization = try! ASN1ObjectIdentifier(dotRepresentation: "2.5.4.10")
        return certificate.subject.contains { rdn in
            rdn.contains { $0.type == organization && String($0.value) == testRootOrganization }
        }
    }

    // MARK: - Issuing

    /// A CA: its certificate and key. Internal, so that tests can make deliberately broken certificates.
    struct Authority: Sendable {
        let certificate: Certificate
        let key: CertificateKey

        var pem: String { TestPKI.pem(certificate) }

        /// A self-signed test root, marked as such.
        static func root(key: CertificateKey, validity: Validity, subject: [NameAttribute]? = nil, marked: Bool = true) throws -> Authority {
            let name = try XCAIdentity.distinguishedName(subject ?? [
                NameAttribute(oid: "2.5.4.6", value: "TW"),
                NameAttribute(oid: "2.5.4.10", value: testRootOrganization),
                NameAttribute(oid: "2.5.4.3", value: "webjcase Test Root CA"),
            ])
            var extensions = try Certificate.Extensions([
                Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: nil), critical: true),
                Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true),
            ])
            if marked {
                try extensions.append(Certificate.Extension(
                    oid: try ASN1ObjectIdentifier(dotRepresentation: testRootMarkerOID), critical: false,
                    value: markerValue()))
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: randomSerial(), publicKey: key.certificatePrivateKey.publicKey,
                notValidBefore: validity.notBefore, notValidAfter: validity.notAfter, issuer: name, subject: name,
                signatureAlgorithm: key.certificateSignatureAlgorithm, extensions: extensions, issuerPrivateKey: key.certificatePrivateKey)
            return Authority(certificate: certificate, key: key)
        }

        /// An intermediate CA (pathLen 0 unless told), or with `isCA: false` a broken one for tests.
        func issueCA(subject: [NameAttribute], key: CertificateKey, validity: Validity, isCA: Bool = true) throws -> Authority {
            let extensions = try Certificate.Extensions([
                Certificate.Extension(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: 0) : .notCertificateAuthority, critical: true),
                Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true),
            ])
            let certificate = try sign(subject: XCAIdentity.distinguishedName(subject), publicKey: key.certificatePrivateKey.publicKey,
                                       validity: validity, extensions: extensions)
            return Authority(certificate: certificate, key: key)
        }

        /// A document-signing certificate: key usage digitalSignature + nonRepudiation unless told, not a CA, and the
        /// organization id attribute when given.
        func issueLeaf(subject: [NameAttribute], key: CertificateKey, validity: Validity, organizationID: String?,
                       keyUsage: KeyUsage = KeyUsage(digitalSignature: true, nonRepudiation: true),
                       organizationIDAttribute: String = XCAIdentity.organizationIDAttribute) throws -> Certificate {
            var extensions = try Certificate.Extensions([
                Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true),
                Certificate.Extension(keyUsage, critical: true),
            ])
            if let organizationID {
                try extensions.append(XCAIdentity.subjectDirectoryAttributes(attribute: organizationIDAttribute, value: organizationID))
            }
            return try sign(subject: XCAIdentity.distinguishedName(subject), publicKey: key.certificatePrivateKey.publicKey,
                            validity: validity, extensions: extensions)
        }

        func sign(subject: DistinguishedName, publicKey: Certificate.PublicKey, validity: Validity, extensions: Certificate.Extensions) throws -> Certificate {
            try Certificate(
                version: .v3, serialNumber: TestPKI.randomSerial(), publicKey: publicKey,
                notValidBefore: validity.notBefore, notValidAfter: validity.notAfter, issuer: certificate.subject, subject: subject,
                signatureAlgorithm: key.certificateSignatureAlgorithm, extensions: extensions, issuerPrivateKey: key.certificatePrivateKey)
        }

        /// A CRL of this CA revoking `revoked` (certificate, date).
        func crl(revoked: [(Certificate, Date)], thisUpdate: Date, nextUpdate: Date) throws -> Data {
            try CertificateRevocationList.make(issuer: certificate, key: key, revoked: revoked.map { ($0.0.serialNumber, $0.1) },
                                               thisUpdate: thisUpdate, nextUpdate: nextUpdate)
        }
    }

    static func markerValue() throws -> ArraySlice<UInt8> {
        var coder = DER.Serializer()
        try coder.serialize(ASN1UTF8String("webjcase test root: NOT FOR PRODUCTION"))
        return coder.serializedBytes[...]
    }

    static func randomSerial() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = bytes[0] & 0x7f | 0x10
        return Certificate.SerialNumber(bytes: bytes)
    }

    static func pem(_ certificate: Certificate) -> String {
        // Serializing a certificate this library made or parsed cannot fail.
        PEMDocument(type: "CERTIFICATE", derBytes: try! certificate.derBytes).pemString + "\n"
    }

    private static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// Writes a key file created with mode 0600 (never readable by others, not even briefly).
    static func writeKey(_ key: CertificateKey, to url: URL) throws {
        let text = key.pemRepresentation.hasSuffix("\n") ? key.pemRepresentation : key.pemRepresentation + "\n"
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard fchmod(fd, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
