import Crypto
import Foundation

/// A detached signature file `<doc>.sig`: a JSON envelope in the style of DSSE (in-toto's Dead Simple Signing Envelope) over the document's exact bytes, without embedding the payload.
public struct SignatureEnvelope: Codable, Sendable, Equatable {
    /// The document's media type, e.g. "application/vnd.webjcase.document+yaml"; bound into every signature by PAE.
    public var payloadType: String
    /// Lowercase hex SHA-256 of the document bytes: a convenience for humans and tools, checked on verify.
    public var payloadSHA256: String
    /// One entry per signer.
    public var signatures: [Entry]

    /// One signature: who (keyid) and the base64 raw signature over PAE(payloadType, document).
    public struct Entry: Codable, Sendable, Equatable {
        /// The signer's SSH SHA256 fingerprint, e.g. "SHA256:…".
        public var keyid: String
        /// Base64 of the raw signature (Ed25519: 64 bytes).
        public var sig: String
        /// The signer's X.509 certificate chain, DER base64, leaf first (the root may be left out); nil for keys named by policy.
        public var chain: [String]?

        /// Creates an entry.
        public init(keyid: String, sig: String, chain: [String]? = nil) {
            self.keyid = keyid
            self.sig = sig
            self.chain = chain
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case keyid, sig, chain }

        /// Strict decoding: unknown fields, missing fields, an empty keyid or non-base64 sig are refused.
        public init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            keyid = try c.decode(String.self, forKey: .keyid)
            sig = try c.decode(String.self, forKey: .sig)
            chain = try c.decodeIfPresent([String].self, forKey: .chain)
            guard !keyid.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .keyid, in: c, debugDescription: "empty keyid")
            }
            guard Data(base64Encoded: sig) != nil else {
                throw DecodingError.dataCorruptedError(forKey: .sig, in: c, debugDescription: "sig is not base64")
            }
        }
    }

    /// Creates an envelope from its parts (no checks; use ``sign(document:payloadType:key:)`` to make one).
    public init(payloadType: String, payloadSHA256: String, signatures: [Entry]) {
        self.payloadType = payloadType
        self.payloadSHA256 = payloadSHA256
        self.signatures = signatures
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case payloadType, payloadSHA256, signatures }

    /// Strict decoding: unknown fields, missing fields, an empty payloadType or a payloadSHA256 that is not 64 lowercase hex digits are refused.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        payloadType = try c.decode(String.self, forKey: .payloadType)
        payloadSHA256 = try c.decode(String.self, forKey: .payloadSHA256)
        signatures = try c.decode([Entry].self, forKey: .signatures)
        guard !payloadType.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .payloadType, in: c, debugDescription: "empty payloadType")
        }
        guard payloadSHA256.utf8.count == 64, payloadSHA256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .payloadSHA256, in: c, debugDescription: "payloadSHA256 is not 64 lowercase hex digits")
        }
    }

    /// Signs `document` (exact bytes) as `payloadType` with one key.
    public static func sign(document: Data, payloadType: String, key: SigningKey) throws -> SignatureEnvelope {
        var envelope = SignatureEnvelope(payloadType: payloadType, payloadSHA256: SHA256.hash(data: document).hexString, signatures: [])
        try envelope.addSignature(document: document, key: key)
        return envelope
    }

    /// Adds a co-signature; the document must match ``payloadSHA256`` (.digestMismatch) and the key must not have signed yet (.duplicateKey).
    public mutating func addSignature(document: Data, key: SigningKey) throws {
        try addSignature(document: document, signer: .ed25519(key), chain: nil)
    }

    /// Signs `document` (exact bytes) as `payloadType` with any signer, optionally attaching its X.509 chain (leaf first).
    public static func sign(document: Data, payloadType: String, signer: DocumentSigner, chain: CertificateChain? = nil) throws -> SignatureEnvelope {
        var envelope = SignatureEnvelope(payloadType: payloadType, payloadSHA256: SHA256.hash(data: document).hexString, signatures: [])
        try envelope.addSignature(document: document, signer: signer, chain: chain)
        return envelope
    }

    /// Adds a co-signature by any signer; a chain whose leaf is not the signer's key is refused (.malformedCertificate).
    public mutating func addSignature(document: Data, signer: DocumentSigner, chain: CertificateChain? = nil) throws {
        guard SHA256.hash(data: document).hexString == payloadSHA256 else {
            throw SigningError(.digestMismatch, detail: "document is not the one this envelope covers")
        }
        let publicKey = signer.publicKey
        let keyid = publicKey.fingerprint
        guard !signatures.contains(where: { $0.keyid == keyid }) else {
            throw SigningError(.duplicateKey, detail: "\(keyid) has already signed")
        }
        if let chain, chain.leafPublicKey != publicKey {
            throw SigningError(.malformedCertificate, detail: "the chain's leaf certificate is not for \(keyid)")
        }
        let sig = try signer.signature(for: Self.pae(payloadType: payloadType, body: document))
        signatures.append(Entry(keyid: keyid, sig: sig.base64EncodedString(), chain: chain?.base64DER))
    }

    /// Deterministic JSON: sorted keys, pretty printed, unescaped slashes, trailing newline.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding strings and arrays of strings cannot fail.
        let json = try! encoder.encode(self)
        return json + Data("\n".utf8)
    }

    /// Decodes strictly; malformed JSON, missing, unknown or duplicated fields → .malformedEnvelope.
    public init(decoding data: Data) throws {
        if let plain = PlainEnvelopeReader.read(data) {
            self = plain
            return
        }
        do {
            self = try JSONDecoder().decode(SignatureEnvelope.self, from: data)
            if let key = firstDuplicateObjectKey(inValidJSON: data) {
                throw SigningError(.malformedEnvelope, detail: "duplicate field \(key.prefix(40))")
            }
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.malformedEnvelope, detail: Self.describe(error))
        }
    }

    /// Pre-authentication encoding, DSSE v1: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (LEN as ASCII decimal)
    public static func pae(payloadType: String, body: Data) -> Data {
        let type = Data(payloadType.utf8)
        var out = Data("DSSEv1 \(type.count) ".utf8)
        out += type
        out += Data(" \(body.count) ".utf8)
        out += body
        return out
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .keyNotFound(let key, _): return "missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "invalid JSON"
        }
    }
}

/// Trust lives in types: a `VerifiedSignature` exists only when a signature was checked against a key; its initialiser is internal.
public struct VerifiedSignature: Sendable, Hashable {
    /// The fingerprint of ``publicKey`` (computed from the key, equal to the entry's keyid).
    public let keyID: String
    /// The key whose signature verified.
    public let publicKey: SSHPublicKey
    /// The signer's certificate, when the key was trusted through an X.509 chain judged at the signing time.
    public let certificate: VerifiedCertificate?

    init(publicKey: SSHPublicKey, certificate: VerifiedCertificate? = nil) {
        self.keyID = publicKey.fingerprint
        self.publicKey = publicKey
        self.certificate = certificate
    }
}

extension SignatureEnvelope {
    /// Checks every entry whose keyid is among `keys` (fingerprint → key); entries by unknown keys are reported as .unknownKey only if NO entry verifies; a mismatching payloadType or digest fails first; a bad signature by a known key fails the whole envelope with .badSignature (never silently skipped).
    ///
    /// Keys are matched by the fingerprint computed from each key in `keys.values`; the dictionary's own keys are not trusted.
    /// A keyid listed twice fails with .duplicateKey, so one signer can never count twice.
    public func verify(document: Data, payloadType: String, keys: [String: SSHPublicKey]) throws -> [VerifiedSignature] {
        try checkPrelude(document: document, payloadType: payloadType)
        var message = SignedMessage(payloadType: payloadType, document: document)
        var verified: [VerifiedSignature] = []
        for entry in signatures {
            guard let key = Self.trustedKey(entry.keyid, in: keys) else { continue }
            guard let sig = Data(base64Encoded: entry.sig), message.isValid(sig, by: key) else {
                throw SigningError(.badSignature, detail: entry.keyid)
            }
            verified.append(VerifiedSignature(publicKey: key))
        }
        guard !verified.isEmpty else {
            let ids = signatures.map { String($0.keyid.prefix(80)) }.joined(separator: ", ")
            throw SigningError(.unknownKey, detail: ids)
        }
        return verified
    }

    /// The key in `keys` whose computed fingerprint is `keyid` (the dictionary's own keys are only a hint).
    private static func trustedKey(_ keyid: String, in keys: [String: SSHPublicKey]) -> SSHPublicKey? {
        if let key = keys[keyid], key.fingerprint == keyid { return key }
        return keys.values.first { $0.fingerprint == keyid }
    }
}

extension SignatureEnvelope {
    /// The checks every verification starts with: payload type, then digest, then a non-empty list without a keyid twice.
    func checkPrelude(document: Data, payloadType: String) throws {
        guard payloadType == self.payloadType else {
            throw SigningError(.payloadTypeMismatch, detail: "envelope is for \(self.payloadType.prefix(80)), expected \(payloadType.prefix(80))")
        }
        guard Self.digest(SHA256.hash(data: document), equalsHex: payloadSHA256) else {
            throw SigningError(.digestMismatch, detail: "document SHA-256 differs from payloadSHA256")
        }
        guard !signatures.isEmpty else {
            throw SigningError(.noSignatures, detail: "envelope has no signatures")
        }
        for (index, entry) in signatures.enumerated() where signatures[..<index].contains(where: { $0.keyid == entry.keyid }) {
            throw SigningError(.duplicateKey, detail: "\(entry.keyid.prefix(80)) appears twice")
        }
    }

    /// Compares a digest with lowercase hex without building a string.
    private static func digest(_ digest: SHA256Digest, equalsHex hex: String) -> Bool {
        let digits = Array("0123456789abcdef".utf8)
        var utf8 = hex.utf8.makeIterator()
        for byte in digest {
            guard utf8.next() == digits[Int(byte >> 4)], utf8.next() == digits[Int(byte & 0xf)] else { return false }
        }
        return utf8.next() == nil
    }

    /// PAE(payloadType, document), built or hashed only as the signers' algorithms need it.
    struct SignedMessage {
        let payloadType: String
        let document: Data
        private var pae: Data?
        private var paeSHA256: SHA256Digest?

        init(payloadType: String, document: Data) {
            self.payloadType = payloadType
            self.document = document
        }

        /// The full message (Ed25519 needs it contiguous).
        mutating func bytes() -> Data {
            if let pae { return pae }
            let built = SignatureEnvelope.pae(payloadType: payloadType, body: document)
            pae = built
            return built
        }

        /// SHA-256 of the message, hashed incrementally without copying the document.
        mutating func sha256() -> SHA256Digest {
            if let paeSHA256 { return paeSHA256 }
            var hasher = SHA256()
            let type = Data(payloadType.utf8)
            hasher.update(data: Data("DSSEv1 \(type.count) ".utf8))
            hasher.update(data: type)
            hasher.update(data: Data(" \(document.count) ".utf8))
            hasher.update(data: document)
            let digest = hasher.finalize()
            paeSHA256 = digest
            return digest
        }

        mutating func isValid(_ signature: Data, by key: SSHPublicKey) -> Bool {
            switch key.keyAlgorithm {
            case .ed25519: key.isValidSignature(signature, for: bytes())
            case .ecdsaP256, .rsa: key.isValidSignature(signature, sha256: sha256())
            }
        }
    }
}

/// An arbitrary coding key, used to list every field an object has.
private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws `DecodingError.dataCorrupted` if the object has a field not in `known`.
private func rejectUnknownKeys(_ decoder: any Decoder, known: [String]) throws {
    let container = try decoder.container(keyedBy: AnyCodingKey.self)
    for key in container.allKeys where !known.contains(key.stringValue) {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [key], debugDescription: "unknown field \(key.stringValue.prefix(40))"))
    }
}

/// The first key that appears twice in one JSON object, for input JSONDecoder already accepted (it silently keeps one of them).
private func firstDuplicateObjectKey(inValidJSON data: Data) -> String? {
    let bytes = [UInt8](data)
    var stack: [Set<String>?] = []   // a key set per open object, nil per open array
    var i = 0
    while i < bytes.count {
        switch bytes[i] {
        case UInt8(ascii: "{"): stack.append([])
        case UInt8(ascii: "["): stack.append(nil)
        case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast()
        case UInt8(ascii: "\""):
            let start = i
            i += 1
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
            let token = Data(bytes[start...min(i, bytes.count - 1)])
            var j = i + 1
            while j < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: ":"), let last = stack.indices.last, stack[last] != nil,
               let key = try? JSONDecoder().decode(String.self, from: token) {
                if stack[last]!.insert(key).inserted == false { return key }
            }
        default: break
        }
        i += 1
    }
    return nil
}

/// Reads the envelopes this tool writes without JSONDecoder (which, with the duplicate
/// check after it, cost more than verifying the signature): JSON of exactly the envelope's
/// shape, every string printable ASCII without escapes. Anything else, and anything that
/// would fail a check of `init(from:)`, is left to the decoder, which is the judge of it
/// and says what is wrong; on what this reader accepts the decoder gives the same values.
private struct PlainEnvelopeReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func read(_ data: Data) -> SignatureEnvelope? {
        data.withUnsafeBytes { raw -> SignatureEnvelope? in
            var reader = PlainEnvelopeReader(raw)
            guard let envelope = reader.envelope() else { return nil }
            reader.space()
            return reader.index == raw.count ? envelope : nil
        }
    }

    private mutating func space() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        space()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func string() -> String? {
        guard take(0x22) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != 0x22 {
            // Printable ASCII only, no escapes.
            guard (0x20...0x7E).contains(bytes[index]), bytes[index] != 0x5C else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        index += 1
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
    }

    /// `{ "key": value, … }`, each key once, `value` reading the value of each.
    private mutating func object(_ value: (inout PlainEnvelopeReader, String) -> Bool) -> Bool {
        guard take(0x7B) else { return false }
        if take(0x7D) { return true }
        var seen: [String] = []
        repeat {
            guard let key = string(), !seen.contains(key), take(0x3A), value(&self, key) else { return false }
            seen.append(key)
        } while take(0x2C)
        return take(0x7D)
    }

    /// `[ item, … ]`.
    private mutating func array<T>(_ item: (inout PlainEnvelopeReader) -> T?) -> [T]? {
        guard take(0x5B) else { return nil }
        var items: [T] = []
        if take(0x5D) { return items }
        repeat {
            guard let next = item(&self) else { return nil }
            items.append(next)
        } while take(0x2C)
        return take(0x5D) ? items : nil
    }

    private mutating func entry() -> SignatureEnvelope.Entry? {
        var keyid: String?, sig: String?, chain: [String]?
        let read = object { reader, key in
            switch key {
            case "keyid": keyid = reader.string(); return keyid != nil
            case "sig": sig = reader.string(); return sig != nil
            case "chain": chain = reader.array { $0.string() }; return chain != nil
            default: return false
            }
        }
        guard read, let keyid, let sig, !keyid.isEmpty, Data(base64Encoded: sig) != nil else { return nil }
        return SignatureEnvelope.Entry(keyid: keyid, sig: sig, chain: chain)
    }

    private mutating func envelope() -> SignatureEnvelope? {
        var payloadType: String?, payloadSHA256: String?, signatures: [SignatureEnvelope.Entry]?
        let read = object { reader, key in
            switch key {
            case "payloadType": payloadType = reader.string(); return payloadType != nil
            case "payloadSHA256": payloadSHA256 = reader.string(); return payloadSHA256 != nil
            case "signatures": signatures = reader.array { $0.entry() }; return signatures != nil
            default: return false
            }
        }
        guard read, let payloadType, let payloadSHA256, let signatures, !payloadType.isEmpty, payloadSHA256.utf8.count == 64,
              payloadSHA256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return SignatureEnvelope(payloadType: payloadType, payloadSHA256: payloadSHA256, signatures: signatures)
    }
}
