import Crypto
import _CryptoExtras
import Foundation
import X509

/// A P-256 or RSA private key, as a certificate's key is kept (PEM: PKCS#8, SEC1 or PKCS#1).
public struct CertificateKey: Sendable {
    enum Backing: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    let backing: Backing
    /// The matching public key (its fingerprint is the envelope keyid).
    public let publicKey: SSHPublicKey

    init(_ backing: Backing) throws {
        self.backing = backing
        switch backing {
        case .p256(let key): publicKey = SSHPublicKey(p256: key.publicKey)
        case .rsa(let key): publicKey = try SSHPublicKey(rsa: key.publicKey)
        }
    }

    /// A fresh random P-256 key.
    public static func generateP256() -> CertificateKey {
        // A P-256 public key always converts.
        try! CertificateKey(.p256(P256.Signing.PrivateKey()))
    }

    /// A fresh random RSA key of `bits` (2048, 3072 or 4096).
    public static func generateRSA(bits: Int = 2048) throws -> CertificateKey {
        guard [2048, 3072, 4096].contains(bits) else {
            throw SigningError(bits < 2048 ? .keyTooSmall : .unsupportedAlgorithm, detail: "RSA keys are 2048, 3072 or 4096 bits")
        }
        do {
            return try CertificateKey(.rsa(_RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))))
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.malformedPrivateKey, detail: "RSA key generation failed")
        }
    }

    /// Parses a PEM private key: "PRIVATE KEY" (PKCS#8, P-256 or RSA), "EC PRIVATE KEY" (SEC1, P-256) or
    /// "RSA PRIVATE KEY" (PKCS#1). Encrypted keys are refused (.encryptedPrivateKey), RSA under 2048 bits (.keyTooSmall).
    public init(pem: String) throws {
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED") {
            throw SigningError(.encryptedPrivateKey, detail: "encrypted PEM key")
        }
        let label: String
        if pem.contains("-----BEGIN EC PRIVATE KEY-----") {
            label = "EC"
        } else if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
            label = "RSA"
        } else if pem.contains("-----BEGIN PRIVATE KEY-----") {
            label = "PKCS8"
        } else if pem.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            throw SigningError(.unsupportedKeyType, detail: "an OpenSSH key: use SigningKey for Ed25519")
        } else {
            throw SigningError(.malformedPrivateKey, detail: "not a PEM private key")
        }
        if label != "RSA", let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            try self.init(.p256(key))
            return
        }
        if label != "EC" {
            if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
                guard key.keySizeInBits <= SSHPublicKey.rsaBits.upperBound else {
                    throw SigningError(.unsupportedAlgorithm, detail: "RSA key of \(key.keySizeInBits) bits")
                }
                try self.init(.rsa(key))
                return
            }
            if let small = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) {
                throw SigningError(.keyTooSmall, detail: "RSA key of \(small.keySizeInBits) bits; at least 2048 required")
            }
        }
        if label == "PKCS8", (try? Certificate.PrivateKey(pemEncoded: pem)) != nil {
            throw SigningError(.unsupportedKeyType, detail: "only P-256 and RSA certificate keys are supported")
        }
        throw SigningError(.malformedPrivateKey, detail: "unreadable \(label) private key")
    }

    /// Reads a PEM private key file, refusing one readable by group or others (as ``SigningKey/load(path:)``).
    public static func load(path: String) throws -> CertificateKey {
        try CertificateKey(pem: SigningKey.readPrivateKeyFile(path: path))
    }

    /// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
    public var pemRepresentation: String {
        switch backing {
        case .p256(let key): key.pemRepresentation
        case .rsa(let key): key.pkcs8PEMRepresentation
        }
    }

    /// P-256: DER-encoded ECDSA over SHA-256(data); RSA: PKCS#1 v1.5 with SHA-256.
    public func signature(for data: Data) throws -> Data {
        switch backing {
        case .p256(let key):
            return try key.signature(for: data).derRepresentation
        case .rsa(let key):
            return try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    /// The key as swift-certificates takes it, to issue certificates and CRLs.
    var certificatePrivateKey: Certificate.PrivateKey {
        switch backing {
        case .p256(let key): Certificate.PrivateKey(key)
        case .rsa(let key): Certificate.PrivateKey(key)
        }
    }

    /// The algorithm certificates and CRLs signed by this key use (ecdsa-with-SHA256, sha256WithRSAEncryption).
    var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm {
        switch backing {
        case .p256: .ecdsaWithSHA256
        case .rsa: .sha256WithRSAEncryption
        }
    }
}

/// Whatever signs a document: a tool-made Ed25519 key, a certificate's P-256 / RSA key, or a
/// key kept elsewhere (a card, through PKCS#11).
public enum DocumentSigner: Sendable {
    case ed25519(SigningKey)
    case certificateKey(CertificateKey)
    case external(ExternalSigner)

    /// The signer's public key; its fingerprint is the envelope keyid.
    public var publicKey: SSHPublicKey {
        switch self {
        case .ed25519(let key): key.publicKey
        case .certificateKey(let key): key.publicKey
        case .external(let signer): signer.publicKey
        }
    }

    /// A signature in the envelope's encoding (Ed25519 raw 64 bytes; P-256 DER; RSA PKCS#1 v1.5).
    public func signature(for data: Data) throws -> Data {
        switch self {
        case .ed25519(let key): try key.signature(for: data)
        case .certificateKey(let key): try key.signature(for: data)
        case .external(let signer): try signer.sign(data)
        }
    }
}
