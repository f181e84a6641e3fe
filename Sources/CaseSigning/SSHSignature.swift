import Crypto
import Foundation

/// SSHSIG signatures (OpenSSH PROTOCOL.sshsig), the format `ssh-keygen -Y` and git's gpg.format=ssh use.
public enum SSHSignature {
    static let label = "SSH SIGNATURE"
    static let magic = Array("SSHSIG".utf8)
    static let version: UInt32 = 1

    /// Signs `message` like `ssh-keygen -Y sign -n NAMESPACE` (hash sha512); returns the armored signature.
    public static func sign(_ message: Data, namespace: String, key: SigningKey) throws -> String {
        guard !namespace.isEmpty else {
            throw SigningError(.namespaceMismatch, detail: "the namespace must not be empty")
        }
        let signed = signedData(namespace: namespace, hashAlgorithm: "sha512", digest: Array(SHA512.hash(data: message)))
        let raw = try key.signature(for: signed)
        var sigBlob = SSHWriter()
        sigBlob.writeString(SSHPublicKey.ed25519)
        sigBlob.writeString(raw)

        var out = SSHWriter()
        out.writeRaw(magic)
        out.writeUInt32(version)
        out.writeString(key.publicKey.blob)
        out.writeString(namespace)
        out.writeString([UInt8]())
        out.writeString("sha512")
        out.writeString(sigBlob.bytes)
        return Armor.encode(out.bytes, label: label)
    }

    /// Verifies an armored SSHSIG over `message` in `namespace` and returns the signer's key; trusting that key is the caller's decision.
    /// A key among `known` with the signature's key blob is used as it is instead of being parsed again.
    public static func verify(armored: String, message: Data, namespace: String,
                              known: [String: SSHPublicKey] = [:]) throws -> SSHPublicKey {
        guard let body = Armor.decode(armored, label: label) else {
            throw SigningError(.malformedSignature, detail: "not an SSH SIGNATURE armor")
        }
        var reader = SSHReader(body, failure: .malformedSignature)
        guard try reader.readBytes(magic.count, "magic") == magic else {
            throw SigningError(.malformedSignature, detail: "bad magic")
        }
        let sigVersion = try reader.readUInt32("version")
        guard sigVersion == version else {
            throw SigningError(.malformedSignature, detail: "unsupported SSHSIG version \(sigVersion)")
        }
        let keyBlob = try reader.readString("public key")
        let keyData = Data(keyBlob)
        let publicKey = try known.values.first { $0.blob == keyData } ?? SSHPublicKey(blob: keyData)
        let sigNamespace = try reader.readText("namespace")
        let reserved = try reader.readString("reserved")
        let hashAlgorithm = try reader.readText("hash algorithm")
        let sigBlob = try reader.readString("signature")
        try reader.expectEnd("signature")

        guard !sigNamespace.isEmpty else {
            throw SigningError(.malformedSignature, detail: "empty namespace")
        }
        guard sigNamespace == namespace else {
            throw SigningError(.namespaceMismatch, detail: "signature namespace \(sigNamespace.prefix(40)), expected \(namespace.prefix(40))")
        }
        let digest: [UInt8]
        switch hashAlgorithm {
        case "sha512": digest = Array(SHA512.hash(data: message))
        case "sha256": digest = Array(SHA256.hash(data: message))
        default: throw SigningError(.malformedSignature, detail: "unsupported hash \(hashAlgorithm.prefix(40))")
        }
        let signed = signedData(namespace: sigNamespace, hashAlgorithm: hashAlgorithm, digest: digest, reserved: reserved)
        guard try publicKey.isValidSSHSignatureBlob(sigBlob, for: signed) else {
            throw SigningError(.badSignature, detail: "SSHSIG by \(publicKey.fingerprint) does not verify")
        }
        return publicKey
    }

    /// The blob that is actually signed: MAGIC, namespace, reserved, hash algorithm, H(message).
    static func signedData(namespace: String, hashAlgorithm: String, digest: [UInt8], reserved: [UInt8] = []) -> Data {
        var w = SSHWriter()
        w.writeRaw(magic)
        w.writeString(namespace)
        w.writeString(reserved)
        w.writeString(hashAlgorithm)
        w.writeString(digest)
        return w.data
    }
}
