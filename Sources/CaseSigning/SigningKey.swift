import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An Ed25519 private key, read from or written to OpenSSH's private key format.
public struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    private init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// A fresh random key.
    public static func generate() -> SigningKey { SigningKey(key: .init()) }

    /// The matching SSH public key.
    public var publicKey: SSHPublicKey { SSHPublicKey(ed25519: key.publicKey.rawRepresentation) }

    /// A raw 64-byte Ed25519 signature over `data`.
    public func signature(for data: Data) throws -> Data { try key.signature(for: data) }

    static let label = "OPENSSH PRIVATE KEY"
    static let magic = Array("openssh-key-v1\u{0}".utf8)

    /// Parses an unencrypted "-----BEGIN OPENSSH PRIVATE KEY-----" file (as `ssh-keygen -N ""` writes).
    public init(openSSHPrivateKey text: String) throws {
        guard let body = Armor.decode(text, label: Self.label) else {
            if text.contains("ENCRYPTED PRIVATE KEY") {
                throw SigningError(.encryptedPrivateKey, detail: "encrypted PKCS#8 key")
            }
            throw SigningError(.malformedPrivateKey, detail: "not an OpenSSH private key armor")
        }
        var reader = SSHReader(body, failure: .malformedPrivateKey)
        guard try reader.readBytes(Self.magic.count, "magic") == Self.magic else {
            throw SigningError(.malformedPrivateKey, detail: "bad magic")
        }
        let cipher = try reader.readText("cipher name")
        let kdf = try reader.readText("kdf name")
        _ = try reader.readString("kdf options")
        guard cipher == "none" else {
            throw SigningError(.encryptedPrivateKey, detail: "cipher \(cipher.prefix(40)), kdf \(kdf.prefix(40))")
        }
        guard kdf == "none" else {
            throw SigningError(.malformedPrivateKey, detail: "kdf \(kdf.prefix(40)) with cipher none")
        }
        let count = try reader.readUInt32("key count")
        guard count == 1 else {
            throw SigningError(.malformedPrivateKey, detail: "\(count) keys in file, expected 1")
        }
        let outerPublic = try SSHPublicKey(blob: Data(try reader.readString("public key")))
        let section = try reader.readString("private section")
        try reader.expectEnd("private section")
        guard section.count % 8 == 0 else {
            throw SigningError(.malformedPrivateKey, detail: "private section not a multiple of the block size")
        }

        var inner = SSHReader(section, failure: .malformedPrivateKey)
        let check1 = try inner.readUInt32("check int")
        let check2 = try inner.readUInt32("check int")
        guard check1 == check2 else {
            throw SigningError(.malformedPrivateKey, detail: "check ints differ")
        }
        let type = try inner.readText("key type")
        guard type == SSHPublicKey.ed25519 else {
            throw SigningError(.unsupportedKeyType, detail: "key type \(type.prefix(40))")
        }
        let point = try inner.readString("ed25519 public key")
        let secret = try inner.readString("ed25519 private key")
        _ = try inner.readString("comment")
        let padding = try inner.readBytes(inner.remaining, "padding")
        guard padding.count < 8, padding.enumerated().allSatisfy({ $0.element == UInt8($0.offset + 1) }) else {
            throw SigningError(.malformedPrivateKey, detail: "bad padding")
        }
        guard point.count == 32, secret.count == 64, Array(secret[32...]) == point else {
            throw SigningError(.malformedPrivateKey, detail: "inconsistent ed25519 key lengths or halves")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: secret[..<32])
        } catch {
            throw SigningError(.malformedPrivateKey, detail: "invalid ed25519 seed")
        }
        guard key.publicKey.rawRepresentation == Data(point) else {
            throw SigningError(.malformedPrivateKey, detail: "public key does not match the private seed")
        }
        guard outerPublic.rawKey == Data(point) else {
            throw SigningError(.malformedPrivateKey, detail: "outer public key does not match the private key")
        }
        self.init(key: key)
    }

    /// Reads an OpenSSH private key file, refusing one readable by group or others (mode & 0o077), as ssh does.
    /// I/O failures (missing file, no access) are thrown as `POSIXError`, not `SigningError`.
    public static func load(path: String) throws -> SigningKey {
        try SigningKey(openSSHPrivateKey: readPrivateKeyFile(path: path))
    }

    /// Reads a private key file as text, refusing one readable by group or others (mode & 0o077), as ssh does.
    static func readPrivateKeyFile(path: String) throws -> String {
        #if os(Windows)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #else
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SigningError(.malformedPrivateKey, detail: "\(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SigningError(.privateKeyPermissions, detail: "\(path) has mode \(String(mode, radix: 8)); must not be accessible by group or others")
        }
        let data = try handle.readToEnd() ?? Data()
        #endif
        guard let text = String(data: data, encoding: .utf8) else {
            throw SigningError(.malformedPrivateKey, detail: "\(path) is not text")
        }
        return text
    }

    /// The key in the exact format `ssh-keygen -t ed25519 -N ""` writes (random check ints, cipher and kdf "none").
    public func openSSHPrivateKey(comment: String) -> String {
        let point = key.publicKey.rawRepresentation
        let check = UInt32.random(in: .min ... .max)
        var section = SSHWriter()
        section.writeUInt32(check)
        section.writeUInt32(check)
        section.writeString(SSHPublicKey.ed25519)
        section.writeString(point)
        section.writeString(key.rawRepresentation + point)
        section.writeString(comment)
        var pad: UInt8 = 0
        while section.bytes.count % 8 != 0 {
            pad += 1
            section.writeRaw([pad])
        }

        var file = SSHWriter()
        file.writeRaw(Self.magic)
        file.writeString("none")
        file.writeString("none")
        file.writeString([UInt8]())
        file.writeUInt32(1)
        file.writeString(publicKey.blob)
        file.writeString(section.bytes)
        return Armor.encode(file.bytes, label: Self.label)
    }
}
