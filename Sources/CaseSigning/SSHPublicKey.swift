import Crypto
import _CryptoExtras
import Foundation

/// The signature algorithms a key can verify (DESIGN §3).
public enum KeyAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Ed25519: raw 64-byte signatures.
    case ed25519
    /// ECDSA over P-256 with SHA-256: DER-encoded signatures in envelopes.
    case ecdsaP256 = "ecdsa-p256"
    /// RSA 2048+ PKCS#1 v1.5 with SHA-256.
    case rsa
}

/// An SSH public key (Ed25519, ECDSA P-256 or RSA), identified by its wire-format blob; every key has an SSH SHA256 fingerprint.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The SSH algorithm name: "ssh-ed25519", "ecdsa-sha2-nistp256" or "ssh-rsa".
    public let algorithm: String
    /// The key in SSH wire format (the base64 part of an authorized_keys line, decoded).
    public let blob: Data
    /// Algorithm-specific key material (Ed25519: the 32-byte point; P-256: the 65-byte uncompressed point; RSA: the modulus).
    let rawKey: Data
    /// The parsed key, kept so that verifying never parses it again.
    let material: Material
    /// "SHA256:" + unpadded base64 of SHA-256(blob), as `ssh-keygen -l` prints (computed once).
    public let fingerprint: String

    enum Material: Sendable {
        case ed25519(Curve25519.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    static let ed25519 = "ssh-ed25519"
    static let ecdsaP256 = "ecdsa-sha2-nistp256"
    static let rsa = "ssh-rsa"
    static let supportedTypes: Set<String> = [ed25519, ecdsaP256, rsa]
    /// RSA moduli accepted, in bits.
    static let rsaBits = 2048...8192
    /// Key types OpenSSH knows that this library does not handle.
    static let otherKnownTypes: Set<String> = [
        "ssh-dss", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed448",
    ]

    /// Parses an authorized_keys-style line "<type> AAAA... optional comment" (no options prefix).
    public init(authorizedKeysLine: String) throws {
        let fields = authorizedKeysLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline })
        guard fields.count >= 2 else {
            if let type = fields.first, Self.otherKnownTypes.contains(String(type)) {
                throw SigningError(.unsupportedKeyType, detail: "key type \(type)")
            }
            throw SigningError(.malformedPublicKey, detail: "expected \"<type> <base64> [comment]\"")
        }
        let type = String(fields[0])
        let blob = Data(base64Encoded: String(fields[1]))
        guard Self.supportedTypes.contains(type) else {
            var reader = SSHReader(blob ?? Data(), failure: .malformedPublicKey)
            if Self.otherKnownTypes.contains(type) || (try? reader.readText("key type")) == type {
                throw SigningError(.unsupportedKeyType, detail: "key type \(type.prefix(40))")
            }
            throw SigningError(.malformedPublicKey, detail: "unknown key type \(type.prefix(40))")
        }
        guard let blob else {
            throw SigningError(.malformedPublicKey, detail: "invalid base64")
        }
        try self.init(blob: blob)
        guard algorithm == type else {
            throw SigningError(.malformedPublicKey, detail: "line says \(type) but blob is \(algorithm)")
        }
    }

    /// Parses a public key in SSH wire format (RFC 4253 §6.6, RFC 5656 §3.1, OpenSSH PROTOCOL.key for Ed25519).
    public init(blob: Data) throws {
        var reader = SSHReader(blob, failure: .malformedPublicKey)
        let type = try reader.readText("key type")
        switch type {
        case Self.ed25519:
            let point = try reader.readString("ed25519 public key")
            try reader.expectEnd("ed25519 public key")
            guard point.count == 32 else {
                throw SigningError(.malformedPublicKey, detail: "ed25519 public key has \(point.count) bytes")
            }
            self.init(ed25519: Data(point))
        case Self.ecdsaP256:
            let curve = try reader.readText("curve name")
            let point = try reader.readString("ecdsa public key")
            try reader.expectEnd("ecdsa public key")
            guard curve == "nistp256" else {
                throw SigningError(.malformedPublicKey, detail: "curve \(curve.prefix(40)) in an \(type) key")
            }
            guard point.count == 65, point.first == 0x04,
                  let key = try? P256.Signing.PublicKey(x963Representation: point) else {
                throw SigningError(.malformedPublicKey, detail: "invalid P-256 point")
            }
            self.init(p256: key)
        case Self.rsa:
            let e = try Self.readPositiveMPInt(&reader, "rsa exponent")
            let n = try Self.readPositiveMPInt(&reader, "rsa modulus")
            try reader.expectEnd("rsa public key")
            try self.init(rsaModulus: n, exponent: e)
        default:
            throw SigningError(.unsupportedKeyType, detail: "key type \(type.prefix(40))")
        }
    }

    /// Wraps a raw 32-byte Ed25519 public key.
    init(ed25519 point: Data) {
        var writer = SSHWriter()
        writer.writeString(Self.ed25519)
        writer.writeString(point)
        // A 32-byte string is always a valid Ed25519 public key encoding for swift-crypto (it checks length only).
        let key = try! Curve25519.Signing.PublicKey(rawRepresentation: point)
        self.init(algorithm: Self.ed25519, blob: writer.data, rawKey: point, material: .ed25519(key))
    }

    /// Wraps a P-256 public key.
    init(p256 key: P256.Signing.PublicKey) {
        let point = key.x963Representation
        var writer = SSHWriter()
        writer.writeString(Self.ecdsaP256)
        writer.writeString("nistp256")
        writer.writeString(point)
        self.init(algorithm: Self.ecdsaP256, blob: writer.data, rawKey: point, material: .p256(key))
    }

    /// Wraps an RSA key given as unsigned big-endian modulus and exponent; refuses moduli outside 2048...8192 bits.
    init(rsaModulus n: [UInt8], exponent e: [UInt8]) throws {
        let n = Array(n.drop(while: { $0 == 0 }))
        let e = Array(e.drop(while: { $0 == 0 }))
        let bits = n.isEmpty ? 0 : (n.count - 1) * 8 + (8 - n[0].leadingZeroBitCount)
        guard bits >= Self.rsaBits.lowerBound else {
            throw SigningError(.keyTooSmall, detail: "RSA key of \(bits) bits; at least 2048 required")
        }
        guard bits <= Self.rsaBits.upperBound else {
            throw SigningError(.unsupportedAlgorithm, detail: "RSA key of \(bits) bits; at most 8192 accepted")
        }
        guard !e.isEmpty, e.last! & 1 == 1, e.count <= 8 else {
            throw SigningError(.malformedPublicKey, detail: "invalid RSA exponent")
        }
        let key: _RSA.Signing.PublicKey
        do {
            key = try _RSA.Signing.PublicKey(n: n, e: e)
        } catch {
            throw SigningError(.malformedPublicKey, detail: "invalid RSA key")
        }
        var writer = SSHWriter()
        writer.writeString(Self.rsa)
        writer.writeMPInt(e)
        writer.writeMPInt(n)
        self.init(algorithm: Self.rsa, blob: writer.data, rawKey: Data(n), material: .rsa(key))
    }

    /// Wraps a swift-crypto RSA key.
    init(rsa key: _RSA.Signing.PublicKey) throws {
        let primitives = try key.getKeyPrimitives()
        try self.init(rsaModulus: Array(primitives.modulus), exponent: Array(primitives.publicExponent))
    }

    private init(algorithm: String, blob: Data, rawKey: Data, material: Material) {
        self.algorithm = algorithm
        self.blob = blob
        self.rawKey = rawKey
        self.material = material
        // OpenSSH's spelling: unpadded base64 (each commit's signature carries a key, so
        // this is on the verifier's path: no Foundation string search).
        var b64 = Data(SHA256.hash(data: blob)).base64EncodedString()
        while b64.utf8.last == UInt8(ascii: "=") { b64.removeLast() }
        self.fingerprint = "SHA256:" + b64
    }

    /// An SSH mpint that must be positive; returned without its sign byte.
    private static func readPositiveMPInt(_ reader: inout SSHReader, _ what: String) throws -> [UInt8] {
        let raw = try reader.readString(what)
        guard let first = raw.first, first & 0x80 == 0 else {
            throw SigningError(.malformedPublicKey, detail: "\(what) is not a positive mpint")
        }
        guard !(first == 0 && (raw.count < 2 || raw[1] & 0x80 == 0)) else {
            throw SigningError(.malformedPublicKey, detail: "\(what) has a superfluous leading zero")
        }
        return Array(raw.drop(while: { $0 == 0 }))
    }

    /// Which signature scheme the key verifies.
    public var keyAlgorithm: KeyAlgorithm {
        switch material {
        case .ed25519: .ed25519
        case .p256: .ecdsaP256
        case .rsa: .rsa
        }
    }

    /// The RSA modulus size in bits; nil for other keys.
    public var rsaKeySizeInBits: Int? {
        if case .rsa(let key) = material { return key.keySizeInBits }
        return nil
    }

    /// "<type> AAAA... [comment]", the authorized_keys / .pub form.
    public func authorizedKeysLine(comment: String?) -> String {
        let base = "\(algorithm) \(blob.base64EncodedString())"
        guard let comment, !comment.isEmpty else { return base }
        return base + " " + comment
    }

    /// Checks an envelope signature over `data`: Ed25519 raw 64 bytes; P-256 DER ECDSA over SHA-256(data);
    /// RSA PKCS#1 v1.5 with SHA-256 (exactly the modulus length).
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        switch material {
        case .ed25519(let key):
            return signature.count == 64 && key.isValidSignature(signature, for: data)
        case .p256(let key):
            guard let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(sig, for: data)
        case .rsa(let key):
            guard signature.count == (key.keySizeInBits + 7) / 8 else { return false }
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: data, padding: .insecurePKCS1v1_5)
        }
    }

    /// The same check for a message whose SHA-256 is already known (P-256 and RSA only; Ed25519 needs the message).
    func isValidSignature(_ signature: Data, sha256 digest: SHA256Digest) -> Bool {
        switch material {
        case .ed25519:
            return false
        case .p256(let key):
            guard let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(sig, for: digest)
        case .rsa(let key):
            guard signature.count == (key.keySizeInBits + 7) / 8 else { return false }
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .insecurePKCS1v1_5)
        }
    }

    /// Checks an SSH signature blob (string algorithm, string signature) over `data`, as SSHSIG carries it:
    /// ssh-ed25519; ecdsa-sha2-nistp256 (mpint r, mpint s over SHA-256); rsa-sha2-256 / rsa-sha2-512 (SHA-1 "ssh-rsa" refused).
    func isValidSSHSignatureBlob(_ sshSignature: [UInt8], for data: Data) throws -> Bool {
        var reader = SSHReader(sshSignature, failure: .malformedSignature)
        let type = try reader.readText("signature type")
        let raw = try reader.readString("signature")
        try reader.expectEnd("signature")
        switch material {
        case .ed25519(let key):
            guard type == algorithm else {
                throw SigningError(.malformedSignature, detail: "signature type \(type.prefix(40)) for a \(algorithm) key")
            }
            guard raw.count == 64 else {
                throw SigningError(.malformedSignature, detail: "ed25519 signature has \(raw.count) bytes")
            }
            return key.isValidSignature(raw, for: data)
        case .p256(let key):
            guard type == algorithm else {
                throw SigningError(.malformedSignature, detail: "signature type \(type.prefix(40)) for a \(algorithm) key")
            }
            var inner = SSHReader(raw, failure: .malformedSignature)
            let r = try inner.readString("ecdsa r")
            let s = try inner.readString("ecdsa s")
            try inner.expectEnd("ecdsa signature")
            guard let r32 = Self.fixedWidth(r, 32), let s32 = Self.fixedWidth(s, 32),
                  let sig = try? P256.Signing.ECDSASignature(rawRepresentation: r32 + s32) else {
                throw SigningError(.malformedSignature, detail: "invalid ecdsa signature integers")
            }
            return key.isValidSignature(sig, for: data)
        case .rsa(let key):
            let signature = _RSA.Signing.RSASignature(rawRepresentation: raw)
            switch type {
            case "rsa-sha2-256":
                return key.isValidSignature(signature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case "rsa-sha2-512":
                return key.isValidSignature(signature, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            case "ssh-rsa":
                throw SigningError(.unsupportedAlgorithm, detail: "ssh-rsa signatures use SHA-1")
            default:
                throw SigningError(.malformedSignature, detail: "signature type \(type.prefix(40)) for an RSA key")
            }
        }
    }

    /// A positive mpint as exactly `width` big-endian bytes, or nil when it does not fit or is negative.
    private static func fixedWidth(_ mpint: [UInt8], _ width: Int) -> [UInt8]? {
        guard let first = mpint.first, first & 0x80 == 0 else { return nil }
        let trimmed = Array(mpint.drop(while: { $0 == 0 }))
        guard trimmed.count <= width else { return nil }
        return [UInt8](repeating: 0, count: width - trimmed.count) + trimmed
    }

    /// The authorized_keys line without a comment.
    public var description: String { authorizedKeysLine(comment: nil) }

    /// Keys are equal when their blobs are equal.
    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }

    /// Hashes the blob, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }
}
