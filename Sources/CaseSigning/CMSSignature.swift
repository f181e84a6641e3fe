import Crypto
import Foundation
import SwiftASN1
import X509

/// A detached CMS SignedData (RFC 5652) over a document's exact bytes, `<doc>.p7s` in DER: what
/// the applicants' card software (HiPKI's `MakeSignature` with signatureType PKCS7) and
/// `openssl cms -sign -binary -outform DER` write. Accepted: exactly one signer, identified by
/// issuer and serial number or by subject key identifier, whose certificate is among the
/// embedded ones; digest SHA-256; RSA PKCS#1 v1.5 (rsaEncryption or sha256WithRSAEncryption)
/// or ECDSA P-256 with SHA-256; signed attributes optional, and when present with a
/// contentType of id-data and a messageDigest equal to the document's SHA-256; no content
/// inside (detached). Anything else is refused with .malformedCMS (or .unsupportedAlgorithm).
public struct CMSSignature: Sendable {
    /// The signer's chain: its certificate first, then the other embedded certificates.
    public let chain: CertificateChain
    /// The signingTime signed attribute (1.2.840.113549.1.9.5), when the signer gave one.
    public let signingTime: Date?
    let signature: Data
    /// What the signature covers: the DER of the signed attributes (as a SET), or nil for the document itself.
    let signedAttributes: Data?
    /// The messageDigest attribute, when there are signed attributes.
    let messageDigest: Data?

    static let signedDataOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    static let dataOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 1]
    static let sha256OID: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let rsaEncryptionOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    static let sha256WithRSAOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    static let ecdsaWithSHA256OID: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let contentTypeOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    static let messageDigestOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    static let signingTimeOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 5]

    /// Parses `<doc>.p7s` (DER; BER's indefinite lengths are read too, as some tools write them).
    public init(der data: Data) throws(SigningError) {
        func refuse(_ detail: String) -> SigningError { SigningError(.malformedCMS, detail: detail) }
        guard data.count <= 1 << 20 else { throw refuse("larger than 1 MiB") }
        do {
            let root = try BER.parse(Array(data))
            // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
            var outer = try Self.children(root, .sequence, "ContentInfo")
            guard outer.count == 2, (try? ASN1ObjectIdentifier(berEncoded: outer[0])) == Self.signedDataOID else {
                throw refuse("not a CMS SignedData (content type 1.2.840.113549.1.7.2)")
            }
            outer = try Self.children(outer[1], ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), "ContentInfo content")
            guard outer.count == 1 else { throw refuse("ContentInfo content is not one SignedData") }
            // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] certificates, [1] crls, signerInfos SET }
            let fields = try Self.children(outer[0], .sequence, "SignedData")
            guard fields.count >= 4, fields[0].identifier == .integer else { throw refuse("SignedData has too few fields") }
            let encapsulated = try Self.children(fields[2], .sequence, "encapContentInfo")
            guard let contentType = encapsulated.first, (try? ASN1ObjectIdentifier(berEncoded: contentType)) == Self.dataOID else {
                throw refuse("the signed content type is not id-data")
            }
            guard encapsulated.count == 1 else {
                throw refuse("the document is inside the CMS; a detached signature is expected (openssl cms -sign -binary without -nodetach)")
            }
            var certificateNodes: [ASN1Node] = []
            for field in fields[3..<(fields.count - 1)] {
                if field.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                    certificateNodes = try Self.children(field, field.identifier, "certificates")
                } else if field.identifier != ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
                    throw refuse("unexpected field in SignedData")
                }
            }
            let signers = try Self.children(fields[fields.count - 1], .set, "signerInfos")
            guard signers.count == 1 else {
                throw refuse("\(signers.count) signers; exactly one is accepted (the applicant's certificate)")
            }
            var certificates: [(Certificate, Data)] = []
            for node in certificateNodes where node.identifier == .sequence {
                guard let certificate = try? Certificate(derEncoded: node) else { throw refuse("an embedded certificate does not parse") }
                certificates.append((certificate, Data(node.encodedBytes)))
            }
            guard !certificates.isEmpty else {
                throw refuse("no certificate embedded; sign so that the signer's certificate is included")
            }
            guard certificates.count <= 8 else { throw refuse("\(certificates.count) certificates embedded; at most 8") }

            // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs }
            var info = try Self.children(signers[0], .sequence, "SignerInfo")[...]
            guard info.count >= 5 else { throw refuse("SignerInfo has too few fields") }
            info.removeFirst()
            let sid = info.removeFirst()
            let digestAlgorithm = try Self.algorithm(info.removeFirst())
            guard digestAlgorithm == Self.sha256OID else {
                throw SigningError(.unsupportedAlgorithm, detail: "digest algorithm \(digestAlgorithm); SHA-256 is accepted")
            }
            var attributes: ASN1Node?
            if info.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                attributes = info.removeFirst()
            }
            guard info.count >= 2 else { throw refuse("SignerInfo has no signature") }
            let signatureAlgorithm = try Self.algorithm(info.removeFirst())
            guard [Self.rsaEncryptionOID, Self.sha256WithRSAOID, Self.ecdsaWithSHA256OID].contains(signatureAlgorithm) else {
                throw SigningError(.unsupportedAlgorithm, detail: "signature algorithm \(signatureAlgorithm); RSA PKCS#1 v1.5 or ECDSA P-256 with SHA-256 is accepted")
            }
            guard let signatureBytes = try? ASN1OctetString(berEncoded: info.removeFirst()) else { throw refuse("the signature is not an OCTET STRING") }

            // The signer's certificate, by issuer and serial number or by subject key identifier.
            let index: Int?
            if sid.identifier == .sequence {
                let parts = try Self.children(sid, .sequence, "IssuerAndSerialNumber")
                guard parts.count == 2, let issuer = try? DistinguishedName(derEncoded: parts[0]),
                      let serial = try? ArraySlice<UInt8>(derEncoded: parts[1]) else { throw refuse("the signer identifier does not parse") }
                let serialNumber = Certificate.SerialNumber(bytes: serial)
                index = certificates.firstIndex { $0.0.issuer == issuer && $0.0.serialNumber == serialNumber }
            } else if sid.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), case .primitive(let keyID) = sid.content {
                index = certificates.firstIndex { (try? $0.0.extensions.subjectKeyIdentifier)?.keyIdentifier == keyID }
            } else {
                throw refuse("the signer identifier does not parse")
            }
            guard let index else {
                throw refuse("the signer's certificate is not among the embedded certificates")
            }
            var ordered = certificates
            ordered.insert(ordered.remove(at: index), at: 0)
            chain = try CertificateChain(der: ordered.map(\.1))
            let key = chain.leafPublicKey
            switch (key.keyAlgorithm, signatureAlgorithm) {
            case (.rsa, Self.rsaEncryptionOID), (.rsa, Self.sha256WithRSAOID), (.ecdsaP256, Self.ecdsaWithSHA256OID): break
            default:
                throw SigningError(.unsupportedAlgorithm, detail: "signature algorithm \(signatureAlgorithm) does not fit the certificate's key")
            }
            signature = Data(signatureBytes.bytes)

            var time: Date?
            var digest: Data?
            if let attributes {
                // The signature covers the DER of the attributes with the SET tag in place of [0] IMPLICIT (RFC 5652 §5.4).
                var covered = Data(attributes.encodedBytes)
                guard covered.first == 0xA0 else { throw refuse("signed attributes are not DER") }
                covered[covered.startIndex] = 0x31
                signedAttributes = covered
                var seen: Set<ASN1ObjectIdentifier> = []
                for attribute in try Self.children(attributes, attributes.identifier, "signedAttrs") {
                    let parts = try Self.children(attribute, .sequence, "Attribute")
                    guard parts.count == 2, let type = try? ASN1ObjectIdentifier(berEncoded: parts[0]) else { throw refuse("a signed attribute does not parse") }
                    guard seen.insert(type).inserted else { throw refuse("signed attribute \(type) appears twice") }
                    let values = try Self.children(parts[1], .set, "attribute values")
                    guard [Self.contentTypeOID, Self.messageDigestOID, Self.signingTimeOID].contains(type) else { continue }
                    guard values.count == 1 else { throw refuse("signed attribute \(type) has \(values.count) values") }
                    switch type {
                    case Self.contentTypeOID:
                        guard (try? ASN1ObjectIdentifier(berEncoded: values[0])) == Self.dataOID else { throw refuse("the contentType attribute is not id-data") }
                    case Self.messageDigestOID:
                        guard let octets = try? ASN1OctetString(berEncoded: values[0]) else { throw refuse("the messageDigest attribute is not an OCTET STRING") }
                        digest = Data(octets.bytes)
                    default:
                        guard let date = try? X509Time.parse(values[0]) else { throw refuse("the signingTime attribute is not a time") }
                        time = date
                    }
                }
                guard seen.contains(Self.contentTypeOID), digest != nil else {
                    throw refuse("signed attributes without contentType and messageDigest")
                }
            } else {
                signedAttributes = nil
            }
            signingTime = time
            messageDigest = digest
        } catch let error as SigningError {
            throw error
        } catch {
            throw refuse("not DER: \(String(describing: error).prefix(80))")
        }
    }

    /// The signature is the signer's over `document` (through the signed attributes, when there are any):
    /// .digestMismatch when the messageDigest is another document's, .badSignature otherwise.
    public func checkSignature(document: Data) throws(SigningError) {
        let key = chain.leafPublicKey
        let documentDigest = SHA256.hash(data: document)
        if let signedAttributes {
            guard let messageDigest, messageDigest == Data(documentDigest) else {
                throw SigningError(.digestMismatch, detail: "the CMS messageDigest is not the document's SHA-256")
            }
            guard key.isValidSignature(signature, sha256: SHA256.hash(data: signedAttributes)) else {
                throw SigningError(.badSignature, detail: key.fingerprint)
            }
        } else {
            guard key.isValidSignature(signature, sha256: documentDigest) else {
                throw SigningError(.badSignature, detail: key.fingerprint)
            }
        }
    }

    /// Checks the signature over `document`, then the signer's chain at `signedAt` (the time the
    /// document states) against `trust`, exactly as an envelope entry with a chain is judged.
    public func verify(document: Data, signedAt: Date, trust: CertificateTrust) async throws -> CertificateVerdict {
        try checkSignature(document: document)
        let key = chain.leafPublicKey
        let (validated, revokedAt) = try await trust.validate(chain, signedAt: signedAt)
        let certificate = VerifiedCertificate(chain: validated, leafDER: chain.der[0], judgedAt: signedAt, identity: trust.identity,
                                              rootFingerprint: validated.last.flatMap { trust.fingerprints[$0] })
        if let revokedAt {
            return .revokedAfterSigning(at: revokedAt, PendingSignature(
                keyID: key.fingerprint, publicKey: key, certificate: certificate, revokedAt: revokedAt,
                payloadSHA256: SHA256.hash(data: document).hexString))
        }
        return .verified(VerifiedSignature(publicKey: key, certificate: certificate))
    }

    private static func children(_ node: ASN1Node, _ identifier: ASN1Identifier, _ what: String) throws(SigningError) -> [ASN1Node] {
        guard node.identifier == identifier, case .constructed(let nodes) = node.content else {
            throw SigningError(.malformedCMS, detail: "\(what) does not parse")
        }
        return Array(nodes)
    }

    /// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
    private static func algorithm(_ node: ASN1Node) throws(SigningError) -> ASN1ObjectIdentifier {
        let parts = try children(node, .sequence, "AlgorithmIdentifier")
        guard let first = parts.first, let oid = try? ASN1ObjectIdentifier(berEncoded: first) else {
            throw SigningError(.malformedCMS, detail: "AlgorithmIdentifier does not parse")
        }
        return oid
    }
}
