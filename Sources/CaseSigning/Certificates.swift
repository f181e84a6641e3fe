import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

/// An X.509 certificate chain as an envelope entry carries it: DER, leaf first (the root may be left out).
public struct CertificateChain: Sendable, Hashable {
    let certificates: [Certificate]
    let der: [[UInt8]]
    /// The leaf's public key as an SSH key (its fingerprint is the entry's keyid).
    public let leafPublicKey: SSHPublicKey

    /// Parses DER certificates, leaf first; an empty chain, a certificate that does not parse (.malformedCertificate) or a leaf
    /// key this library cannot verify with (.unsupportedAlgorithm, .keyTooSmall) is refused.
    public init(der: [Data]) throws {
        guard !der.isEmpty else { throw SigningError(.malformedCertificate, detail: "empty certificate chain") }
        guard der.count <= 8 else { throw SigningError(.malformedCertificate, detail: "chain of \(der.count) certificates") }
        var certificates: [Certificate] = []
        for (index, bytes) in der.enumerated() {
            do {
                certificates.append(try Certificate(derEncoded: Array(bytes)))
            } catch {
                throw SigningError(.malformedCertificate, detail: "certificate \(index) of the chain does not parse")
            }
        }
        self.certificates = certificates
        self.der = der.map { Array($0) }
        self.leafPublicKey = try SSHPublicKey(certificateKey: certificates[0].publicKey)
    }

    /// Parses one or more PEM "CERTIFICATE" blocks, leaf first.
    public init(pem: String) throws {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw SigningError(.malformedCertificate, detail: "not PEM certificates")
        }
        guard documents.allSatisfy({ $0.discriminator == "CERTIFICATE" }) else {
            throw SigningError(.malformedCertificate, detail: "PEM block other than CERTIFICATE")
        }
        try self.init(der: documents.map { Data($0.derBytes) })
    }

    /// Parses an envelope entry's `chain` (base64 DER, leaf first).
    init(base64: [String]) throws {
        var der: [Data] = []
        for item in base64 {
            guard let bytes = Data(base64Encoded: item) else {
                throw SigningError(.malformedCertificate, detail: "chain entry is not base64")
            }
            der.append(bytes)
        }
        try self.init(der: der)
    }

    /// The chain as an envelope entry stores it.
    public var base64DER: [String] { der.map { Data($0).base64EncodedString() } }

    /// The chain as concatenated PEM blocks, leaf first.
    public var pemRepresentation: String {
        der.map { PEMDocument(type: "CERTIFICATE", derBytes: $0).pemString + "\n" }.joined()
    }

    /// Number of certificates.
    public var count: Int { certificates.count }

    /// The leaf's subject, RFC 4514 style (what a dossier shows; not a judgement of trust).
    public var leafSubject: String { certificates[0].subject.description }

    /// What the leaf says of itself, read without judging trust (what a dossier shows beside a document); the
    /// organization id is nil when the certificate carries none or carries it malformed.
    public func leafFacts(organizationIDAttribute: String = XCAIdentity.organizationIDAttribute) -> CertificateFacts {
        let leaf = certificates[0]
        return CertificateFacts(subject: leaf.subject.description, issuer: leaf.issuer.description,
                                serialNumber: Array(leaf.serialNumber.bytes).hexString,
                                notBefore: leaf.notValidBefore, notAfter: leaf.notValidAfter,
                                organizationID: try? XCAIdentity.organizationID(in: leaf, attribute: organizationIDAttribute))
    }

    public static func == (lhs: CertificateChain, rhs: CertificateChain) -> Bool { lhs.der == rhs.der }
    public func hash(into hasher: inout Hasher) { hasher.combine(der) }
}

/// A certificate's own statements: names, serial number, validity window and organization id. Not a judgement of trust.
public struct CertificateFacts: Sendable, Hashable {
    /// The subject, RFC 4514 style.
    public let subject: String
    /// The issuer, RFC 4514 style.
    public let issuer: String
    /// The serial number, lowercase hex.
    public let serialNumber: String
    public let notBefore: Date
    public let notAfter: Date
    /// The organization id from subjectDirectoryAttributes, if present.
    public let organizationID: String?

    /// Whether `date` lies inside the validity window, both ends included (RFC 5280 §4.1.2.5).
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }
}

/// A signer's certificate whose chain verified to a trusted root at the document's signing time, not revoked then.
/// Only CaseSigning makes these (its initialiser is internal).
public struct VerifiedCertificate: Sendable, Hashable {
    /// The leaf's subject, RFC 4514 style.
    public let subject: String
    /// The leaf's issuer, RFC 4514 style.
    public let issuer: String
    /// The leaf's serial number, lowercase hex.
    public let serialNumber: String
    public let notBefore: Date
    public let notAfter: Date
    /// `sha256:<hex>` of the leaf certificate's DER.
    public let fingerprint: String
    /// The organization id from subjectDirectoryAttributes (attribute 2.16.886.1.100.2.102 by default), if present.
    public let organizationID: String?
    /// Whether the leaf's issuer is one of the policy's XCA names (`C=TW, O=行政院, OU=組織及團體憑證管理中心` by default).
    public let issuedByXCA: Bool
    /// The time the chain was judged at: the signing time the document claims.
    public let judgedAt: Date
    /// The trust anchor's subject and `sha256:<hex>` fingerprint.
    public let rootSubject: String
    public let rootFingerprint: String

    init(chain: [Certificate], leafDER: [UInt8], judgedAt: Date, identity: ApplicantIdentityPolicy, rootFingerprint: String?) {
        let leaf = chain[0]
        let root = chain[chain.count - 1]
        subject = leaf.subject.description
        issuer = leaf.issuer.description
        serialNumber = Array(leaf.serialNumber.bytes).hexString
        notBefore = leaf.notValidBefore
        notAfter = leaf.notValidAfter
        fingerprint = Digest.prefixed(Data(leafDER))
        organizationID = try? XCAIdentity.organizationID(in: leaf, attribute: identity.organizationIDAttribute)
        issuedByXCA = identity.issuers.contains { XCAIdentity.nameMatches(leaf.issuer, $0) }
        self.judgedAt = judgedAt
        rootSubject = root.subject.description
        self.rootFingerprint = rootFingerprint ?? ((try? Digest.prefixed(Data(root.derBytes))) ?? "")
    }

    /// An applicant signs only for the organization id in its own certificate, and only with a certificate the XCA issued:
    /// .notXCAIssuer, then .organizationMismatch.
    public func checkApplicant(organization: String) throws(SigningError) {
        guard issuedByXCA else {
            throw SigningError(.notXCAIssuer, detail: "issuer \(issuer.prefix(120))")
        }
        guard let organizationID else {
            throw SigningError(.organizationMismatch, detail: "the certificate carries no organization id")
        }
        guard organizationID == organization else {
            throw SigningError(.organizationMismatch, detail: "certificate is for \(organizationID.prefix(40)), document for \(organization.prefix(40))")
        }
    }
}

extension SSHPublicKey {
    /// The SSH form of a certificate's public key (P-256, RSA 2048+ or Ed25519).
    init(certificateKey key: Certificate.PublicKey) throws {
        if let p256 = P256.Signing.PublicKey(key) {
            self.init(p256: p256)
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            try self.init(rsa: rsa)
        } else if let ed25519 = Curve25519.Signing.PublicKey(key) {
            self.init(ed25519: ed25519.rawRepresentation)
        } else {
            throw SigningError(.unsupportedAlgorithm, detail: "certificate key \(String(describing: key).prefix(60))")
        }
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    var derBytes: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.serialize(self)
            return serializer.serializedBytes
        }
    }
}

/// Dates as X.509 and CRLs spell them (UTCTime until 2049, GeneralizedTime after, RFC 5280 §4.1.2.5).
enum X509Time {
    static func date(year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int) -> Date {
        // Days from civil (Howard Hinnant's algorithm), proleptic Gregorian, UTC.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + hours * 3600 + minutes * 60 + seconds))
    }

    static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    /// Parses a Time (UTCTime or GeneralizedTime) node.
    static func parse(_ node: ASN1Node) throws -> Date {
        switch node.identifier {
        case .utcTime:
            let t = try UTCTime(derEncoded: node)
            return date(year: t.year, month: t.month, day: t.day, hours: t.hours, minutes: t.minutes, seconds: t.seconds)
        case .generalizedTime:
            let t = try GeneralizedTime(derEncoded: node)
            return date(year: t.year, month: t.month, day: t.day, hours: t.hours, minutes: t.minutes, seconds: t.seconds)
        default:
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
    }

    /// Serializes a Time as RFC 5280 requires.
    static func serialize(_ date: Date, into coder: inout DER.Serializer) throws {
        let c = components(date)
        if (1950..<2050).contains(c.year) {
            try coder.serialize(UTCTime(year: c.year, month: c.month, day: c.day, hours: c.hours, minutes: c.minutes, seconds: c.seconds))
        } else {
            try coder.serialize(GeneralizedTime(year: c.year, month: c.month, day: c.day, hours: c.hours, minutes: c.minutes, seconds: c.seconds, fractionalSeconds: 0))
        }
    }
}
