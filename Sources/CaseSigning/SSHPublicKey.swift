import Crypto
import Foundation

/// An SSH public key (currently Ed25519 only), identified by its wire-format blob.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The SSH algorithm name, e.g. "ssh-ed25519".
    public let algorithm: String
    /// The key in SSH wire format (the base64 part of an authorized_keys line, decoded).
    public let blob: Data
    /// Algorithm-specific key material (Ed25519: the 32-byte point).
    let rawKey: Data

    static let ed25519 = "ssh-ed25519"
    /// Key types OpenSSH knows that this library does not (yet) handle.
    static let otherKnownTypes: Set<String> = [
        "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed448",
    ]

    /// Parses an authorized_keys-style line "ssh-ed25519 AAAA... optional comment" (no options prefix).
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
        guard type == Self.ed25519 else {
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

    /// Parses a public key in SSH wire format.
    public init(blob: Data) throws {
        var reader = SSHReader(blob, failure: .malformedPublicKey)
        let type = try reader.readText("key type")
        guard type == Self.ed25519 else {
            throw SigningError(.unsupportedKeyType, detail: "key type \(type.prefix(40))")
        }
        let point = try reader.readString("ed25519 public key")
        try reader.expectEnd("ed25519 public key")
        guard point.count == 32 else {
            throw SigningError(.malformedPublicKey, detail: "ed25519 public key has \(point.count) bytes")
        }
        self.init(ed25519: Data(point))
    }

    /// Wraps a raw 32-byte Ed25519 public key.
    init(ed25519 point: Data) {
        var writer = SSHWriter()
        writer.writeString(Self.ed25519)
        writer.writeString(point)
        self.algorithm = Self.ed25519
        self.blob = writer.data
        self.rawKey = point
    }

    /// "SHA256:" + unpadded base64 of SHA-256(blob), as `ssh-keygen -l` prints.
    public var fingerprint: String {
        let b64 = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + b64.replacingOccurrences(of: "=", with: "")
    }

    /// "ssh-ed25519 AAAA... [comment]", the authorized_keys / .pub form.
    public func authorizedKeysLine(comment: String?) -> String {
        let base = "\(algorithm) \(blob.base64EncodedString())"
        guard let comment, !comment.isEmpty else { return base }
        return base + " " + comment
    }

    /// Checks a raw signature (Ed25519: 64 bytes) over `data`.
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        guard algorithm == Self.ed25519, signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey) else { return false }
        return key.isValidSignature(signature, for: data)
    }

    /// Checks an SSH signature blob (string algorithm, string signature) over `data`.
    func isValidSSHSignatureBlob(_ sshSignature: [UInt8], for data: Data) throws -> Bool {
        var reader = SSHReader(sshSignature, failure: .malformedSignature)
        let type = try reader.readText("signature type")
        let raw = try reader.readString("signature")
        try reader.expectEnd("signature")
        guard type == algorithm else {
            throw SigningError(.malformedSignature, detail: "signature type \(type.prefix(40)) for a \(algorithm) key")
        }
        guard raw.count == 64 else {
            throw SigningError(.malformedSignature, detail: "ed25519 signature has \(raw.count) bytes")
        }
        return isValidSignature(Data(raw), for: data)
    }

    /// The authorized_keys line without a comment.
    public var description: String { authorizedKeysLine(comment: nil) }

    /// Keys are equal when their blobs are equal.
    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }

    /// Hashes the blob, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }
}
