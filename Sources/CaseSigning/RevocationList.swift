import Foundation
import SwiftASN1
import X509

/// A certificate revocation list (RFC 5280 §5), as `trust/crl/*.crl` holds them (DER, or PEM "X509 CRL").
///
/// Self-authenticating: a CRL is used for a certificate only when its issuer name is the certificate's issuer's subject and its
/// signature verifies with that issuer's key (the issuer being in the chain or among the roots). A CRL with a critical extension
/// this library does not understand (delta CRLs, issuing distribution points, indirect CRLs) is refused when parsed.
public struct CertificateRevocationList: Sendable {
    /// One revoked certificate.
    public struct Revocation: Sendable, Hashable {
        /// The serial number, lowercase hex without leading zero bytes.
        public let serialNumber: String
        public let revocationDate: Date
    }

    /// The issuer, RFC 4514 style.
    public var issuer: String { issuerName.description }
    let issuerName: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let revocations: [Revocation]
    /// The CRL's DER encoding.
    public let der: Data
    let tbsBytes: ArraySlice<UInt8>
    let signatureAlgorithm: Certificate.SignatureAlgorithm
    let signatureBytes: ArraySlice<UInt8>
    private let bySerial: [String: Date]

    /// Parses a CRL from DER or PEM ("-----BEGIN X509 CRL-----"); anything else is .malformedCRL.
    public init(data: Data) throws {
        if let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN X509 CRL-----") {
            guard let document = try? PEMDocument(pemString: text), document.discriminator == "X509 CRL" else {
                throw SigningError(.malformedCRL, detail: "bad PEM")
            }
            try self.init(der: document.derBytes)
        } else {
            try self.init(der: Array(data))
        }
    }

    init(der: [UInt8]) throws {
        do {
            let root = try DER.parse(der)
            var parts: (ArraySlice<UInt8>, Certificate.SignatureAlgorithm, ArraySlice<UInt8>, DistinguishedName, Date, Date?, [Revocation])?
            try DER.sequence(root, identifier: .sequence) { nodes in
                guard let tbsNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no TBSCertList") }
                let outerAlgorithm = try Self.algorithm(&nodes)
                let signature = try ASN1BitString(derEncoded: &nodes)
                guard signature.paddingBits == 0 else { throw ASN1Error.invalidASN1Object(reason: "signature padding") }
                let tbs = try DER.sequence(tbsNode, identifier: .sequence) { nodes -> (Certificate.SignatureAlgorithm, DistinguishedName, Date, Date?, [Revocation]) in
                    var version: Int? = nil
                    var copy = nodes
                    if let first = copy.next(), first.identifier == .integer {
                        version = try Int(derEncoded: first)
                        nodes = copy
                    }
                    guard version == nil || version == 1 else { throw ASN1Error.invalidASN1Object(reason: "CRL version") }
                    let innerAlgorithm = try Self.algorithm(&nodes)
                    guard innerAlgorithm == outerAlgorithm else { throw ASN1Error.invalidASN1Object(reason: "algorithm mismatch") }
                    guard let issuerNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no issuer") }
                    let issuer = try DistinguishedName(derEncoded: issuerNode)
                    guard let thisNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no thisUpdate") }
                    let thisUpdate = try X509Time.parse(thisNode)
                    var nextUpdate: Date? = nil
                    var revocations: [Revocation] = []
                    while let node = nodes.next() {
                        switch node.identifier {
                        case .utcTime, .generalizedTime:
                            guard nextUpdate == nil, revocations.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "order") }
                            nextUpdate = try X509Time.parse(node)
                        case .sequence:
                            guard revocations.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "two revoked lists") }
                            revocations = try DER.sequence(node, identifier: .sequence) { entries in
                                var out: [Revocation] = []
                                while let entry = entries.next() { out.append(try Self.revocation(entry)) }
                                return out
                            }
                        case ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific):
                            try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) { inner in
                                try Self.checkExtensions(inner)
                            }
                        default:
                            throw ASN1Error.unexpectedFieldType(node.identifier)
                        }
                    }
                    return (innerAlgorithm, issuer, thisUpdate, nextUpdate, revocations)
                }
                parts = (tbsNode.encodedBytes, tbs.0, signature.bytes, tbs.1, tbs.2, tbs.3, tbs.4)
            }
            guard let parts else { throw ASN1Error.invalidASN1Object(reason: "empty") }
            (tbsBytes, signatureAlgorithm, signatureBytes, issuerName, thisUpdate, nextUpdate, revocations) = parts
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.malformedCRL, detail: "does not parse as an RFC 5280 CRL")
        }
        self.der = Data(der)
        var bySerial: [String: Date] = [:]
        for revocation in revocations {
            bySerial[revocation.serialNumber] = min(bySerial[revocation.serialNumber] ?? .distantFuture, revocation.revocationDate)
        }
        self.bySerial = bySerial
    }

    /// When the certificate with this serial number was revoked, by this CRL; nil when it is not listed.
    func revocationDate(serial: Certificate.SerialNumber) -> Date? {
        bySerial[Self.serialHex(serial.bytes)]
    }

    /// Whether `issuer` issued this CRL: same name and a signature that verifies with its key.
    func isIssued(by issuer: Certificate) -> Bool {
        issuer.subject == issuerName
            && issuer.publicKey.isValidSignature(signatureBytes, for: tbsBytes, signatureAlgorithm: signatureAlgorithm)
    }

    static func serialHex(_ bytes: some Collection<UInt8>) -> String {
        let trimmed = bytes.drop(while: { $0 == 0 })
        return trimmed.isEmpty ? "00" : Array(trimmed).hexString
    }

    private static func revocation(_ node: ASN1Node) throws -> Revocation {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            guard let timeNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no revocation date") }
            let date = try X509Time.parse(timeNode)
            if let extensions = nodes.next() {
                try checkExtensions(extensions)
            }
            return Revocation(serialNumber: serialHex(serial), revocationDate: date)
        }
    }

    /// Refuses any critical extension: none that RFC 5280 defines as critical for CRLs leaves a full CRL's meaning unchanged.
    private static func checkExtensions(_ node: ASN1Node) throws {
        let extensions = try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: node)
        if let critical = extensions.first(where: \.critical) {
            throw SigningError(.malformedCRL, detail: "unsupported critical extension \(critical.oid)")
        }
    }

    private static func algorithm(_ nodes: inout ASN1NodeCollection.Iterator) throws -> Certificate.SignatureAlgorithm {
        guard let node = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no algorithm") }
        return try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            if let parameters = nodes.next(), parameters.identifier != .null {
                throw ASN1Error.invalidASN1Object(reason: "algorithm parameters")
            }
            switch oid {
            case [1, 2, 840, 10045, 4, 3, 2]: return .ecdsaWithSHA256
            case [1, 2, 840, 10045, 4, 3, 3]: return .ecdsaWithSHA384
            case [1, 2, 840, 113549, 1, 1, 11]: return .sha256WithRSAEncryption
            case [1, 2, 840, 113549, 1, 1, 12]: return .sha384WithRSAEncryption
            case [1, 2, 840, 113549, 1, 1, 13]: return .sha512WithRSAEncryption
            case [1, 3, 101, 112]: return .ed25519
            default: throw SigningError(.unsupportedAlgorithm, detail: "CRL signature algorithm \(oid)")
            }
        }
    }

    /// Makes a DER CRL (version 2) signed by `issuer`'s key: `revoked` maps serial numbers (as in the certificate) to dates.
    static func make(issuer: Certificate, key: CertificateKey, revoked: [(serial: Certificate.SerialNumber, date: Date)],
                     thisUpdate: Date, nextUpdate: Date, crlNumber: Int = 1) throws -> Data {
        let algorithmOID: ASN1ObjectIdentifier
        let withNull: Bool
        switch key.backing {
        case .p256: (algorithmOID, withNull) = ([1, 2, 840, 10045, 4, 3, 2], false)
        case .rsa: (algorithmOID, withNull) = ([1, 2, 840, 113549, 1, 1, 11], true)
        }
        func algorithm(_ coder: inout DER.Serializer) throws {
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(algorithmOID)
                if withNull { try coder.serialize(ASN1Null()) }
            }
        }
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try algorithm(&coder)
            try coder.serialize(issuer.subject)
            try X509Time.serialize(thisUpdate, into: &coder)
            try X509Time.serialize(nextUpdate, into: &coder)
            if !revoked.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in revoked {
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            try coder.serialize(entry.serial.bytes)
                            try X509Time.serialize(entry.date, into: &coder)
                        }
                    }
                }
            }
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    var number = DER.Serializer()
                    try number.serialize(crlNumber)
                    try coder.serialize(Certificate.Extension(oid: [2, 5, 29, 20], critical: false, value: number.serializedBytes[...]))
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try key.certificatePrivateKey.sign(bytes: tbsBytes, signatureAlgorithm: key.certificateSignatureAlgorithm)
        var out = DER.Serializer()
        try out.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsBytes)
            try algorithm(&coder)
            try coder.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
        }
        return Data(out.serializedBytes)
    }
}

/// The CRLs of `trust/crl/`, looked up by the issuing certificate.
struct RevocationIndex: Sendable {
    let lists: [CertificateRevocationList]

    /// The earliest revocation of `certificate` by a CRL that `issuer` provably signed; nil when none lists it.
    func revocationDate(of certificate: Certificate, issuer: Certificate) -> Date? {
        var earliest: Date? = nil
        for list in lists where list.issuerName == issuer.subject {
            guard let date = list.revocationDate(serial: certificate.serialNumber), list.isIssued(by: issuer) else { continue }
            earliest = min(earliest ?? date, date)
        }
        return earliest
    }

    /// The earliest revocation of any certificate of `chain` (leaf first, issuer next).
    func earliestRevocation(in chain: some RandomAccessCollection<Certificate>) -> Date? {
        let certificates = Array(chain)
        var earliest: Date? = nil
        for index in certificates.indices.dropLast() {
            if let date = revocationDate(of: certificates[index], issuer: certificates[index + 1]) {
                earliest = min(earliest ?? date, date)
            }
        }
        return earliest
    }
}

/// The certificate authorities a repository knows by name: its roots (`trust/roots/*.pem`) and
/// the issuing CAs below them (`trust/ca/*.pem`), such as the XCA under the GRCA. A revocation
/// list is admitted only when one of them signed it.
public struct CertificateAuthorities: Sendable {
    let roots: [Certificate]
    let issuing: [Certificate]

    /// Parses the PEM texts (one or more certificates each); anything unreadable is .malformedCertificate.
    public init(rootsPEM: [String], issuingPEM: [String]) throws {
        roots = try rootsPEM.flatMap(Self.certificates)
        issuing = try issuingPEM.flatMap(Self.certificates)
    }

    static func certificates(_ pem: String) throws -> [Certificate] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem).filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(derEncoded: $0.derBytes) }
        } catch {
            throw SigningError(.malformedCertificate, detail: "a certificate authority's PEM does not parse")
        }
    }

    /// The subject of the authority that signed `list`, or nil when none of them did (a list
    /// made by anyone else, whatever issuer name it gives itself).
    public func issuer(of list: CertificateRevocationList) -> String? {
        (roots + issuing).first { list.isIssued(by: $0) }.map { $0.subject.description }
    }

    /// Checks issuing-CA certificates (PEM): each is a CA (basic constraints) signed by a root
    /// or by another issuing CA that is, in a chain that ends at a root. Returns the subject of
    /// the first certificate that is not, with why; nil when all are.
    public static func unanchored(issuingPEM: [String], rootsPEM: [String]) throws -> (subject: String, reason: String)? {
        let roots = try rootsPEM.flatMap(certificates)
        let issuing = try issuingPEM.flatMap(certificates)
        for certificate in issuing {
            guard case .some(.isCertificateAuthority) = try? certificate.extensions.basicConstraints else {
                return (certificate.subject.description, "it is not a CA certificate (basic constraints)")
            }
        }
        // Anchored: signed by a root, or by an anchored issuing CA (at most as many rounds as certificates).
        var anchored = Set<Int>()
        var progress = true
        while progress {
            progress = false
            for (index, certificate) in issuing.enumerated() where !anchored.contains(index) {
                let signers = roots + anchored.map { issuing[$0] }
                if signers.contains(where: { $0.subject == certificate.issuer && $0.publicKey.isValidSignature(certificate.signature, for: certificate) }) {
                    anchored.insert(index)
                    progress = true
                }
            }
        }
        if let index = issuing.indices.first(where: { !anchored.contains($0) }) {
            return (issuing[index].subject.description, "no root in trust/roots signed it, directly or through another CA in trust/ca")
        }
        return nil
    }
}
