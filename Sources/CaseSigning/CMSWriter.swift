import Crypto
import Foundation
import SwiftASN1
import X509

extension CMSSignature {
    /// Writes a detached CMS SignedData (RFC 5652) over `document`, DER, as `<doc>.p7s`: version 1,
    /// digestAlgorithms {sha256}, no eContent, the chain's certificates (leaf first) and one SignerInfo
    /// (version 1, issuerAndSerialNumber of the leaf, sha256, signed attributes contentType id-data,
    /// signingTime `signingTime` as UTCTime and messageDigest SHA-256(document), sorted as a DER SET;
    /// rsaEncryption or ecdsa-with-SHA256). The signer signs the DER of the signed attributes as a
    /// SET OF (tag 0x31), through ``DocumentSigner/signature(for:)`` (a file key or a card).
    public static func sign(document: Data, signer: DocumentSigner, chain: CertificateChain, signingTime: Date) throws -> Data {
        let key = signer.publicKey
        guard key == chain.leafPublicKey else {
            throw SigningError(.badSignature, detail: "the signing key is not the certificate's (\(key.fingerprint))")
        }
        let signatureAlgorithm: ASN1ObjectIdentifier
        switch key.keyAlgorithm {
        case .rsa: signatureAlgorithm = rsaEncryptionOID
        case .ecdsaP256: signatureAlgorithm = ecdsaWithSHA256OID
        case .ed25519:
            throw SigningError(.unsupportedAlgorithm, detail: "a CMS signature is made with an RSA or P-256 certificate key, not Ed25519")
        }
        guard let time = utcTime(signingTime) else {
            throw SigningError(.unsupportedAlgorithm, detail: "signingTime outside 1950-2049 (UTCTime)")
        }
        let (issuer, serial) = try issuerAndSerial(chain.der[0])

        // The signed attributes, each encoded alone, then sorted as DER sorts a SET OF.
        var attributes: [[UInt8]] = []
        for (type, value) in [
            (contentTypeOID, { (coder: inout DER.Serializer) throws in try coder.serialize(dataOID) }),
            (signingTimeOID, { (coder: inout DER.Serializer) throws in try coder.serialize(time) }),
            (messageDigestOID, { (coder: inout DER.Serializer) throws in
                try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(SHA256.hash(data: document))))
            }),
        ] as [(ASN1ObjectIdentifier, (inout DER.Serializer) throws -> Void)] {
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(type)
                try coder.appendConstructedNode(identifier: .set) { try value(&$0) }
            }
            attributes.append(coder.serializedBytes)
        }
        attributes.sort { $0.lexicographicallyPrecedes($1) }
        var attributeSet = DER.Serializer()
        attributeSet.appendConstructedNode(identifier: .set) { coder in
            for attribute in attributes { coder.serializeRawBytes(attribute) }
        }
        let signedAttributes = attributeSet.serializedBytes
        let signature = try signer.signature(for: Data(signedAttributes))

        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(signedDataOID)
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(1)
                    try coder.appendConstructedNode(identifier: .set) { coder in
                        try algorithm(sha256OID, nullParameters: false, into: &coder)
                    }
                    try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(dataOID) }
                    coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                        for certificate in chain.der { coder.serializeRawBytes(certificate) }
                    }
                    try coder.appendConstructedNode(identifier: .set) { coder in
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            try coder.serialize(1)
                            coder.appendConstructedNode(identifier: .sequence) { coder in
                                coder.serializeRawBytes(issuer)
                                coder.serializeRawBytes(serial)
                            }
                            try algorithm(sha256OID, nullParameters: false, into: &coder)
                            // [0] IMPLICIT: the same content as the SET that was signed.
                            coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                                for attribute in attributes { coder.serializeRawBytes(attribute) }
                            }
                            try algorithm(signatureAlgorithm, nullParameters: signatureAlgorithm == rsaEncryptionOID, into: &coder)
                            try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(signature)))
                        }
                    }
                }
            }
        }
        return Data(coder.serializedBytes)
    }

    private static func algorithm(_ oid: ASN1ObjectIdentifier, nullParameters: Bool, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(oid)
            if nullParameters { try coder.serialize(ASN1Null()) }
        }
    }

    /// The leaf's issuer Name and serialNumber INTEGER exactly as the certificate encodes them.
    private static func issuerAndSerial(_ certificate: [UInt8]) throws -> (issuer: ArraySlice<UInt8>, serial: ArraySlice<UInt8>) {
        let malformed = SigningError(.malformedCertificate, detail: "the signer's certificate does not parse")
        guard let root = try? DER.parse(certificate), case .constructed(let outer) = root.content,
              let tbs = outer.first(where: { _ in true }), case .constructed(let fields) = tbs.content else { throw malformed }
        var parts = Array(fields)
        if parts.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { parts.removeFirst() }
        // TBSCertificate: serialNumber, signature, issuer, ...
        guard parts.count >= 3, parts[0].identifier == .integer, parts[2].identifier == .sequence else { throw malformed }
        return (parts[2].encodedBytes, parts[0].encodedBytes)
    }

    private static func utcTime(_ date: Date) -> UTCTime? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let hour = parts.hour, let minute = parts.minute, let second = parts.second else { return nil }
        return try? UTCTime(year: year, month: month, day: day, hours: hour, minutes: minute, seconds: second)
    }
}
