import Foundation
import CaseModel

/// The public keys of a policy's identities, indexed by fingerprint.
public struct PolicyKeys: Sendable {
    public struct Entry: Sendable {
        public let identity: Policy.Identity
        public let key: SSHPublicKey
    }

    public let byFingerprint: [String: Entry]
    /// Fingerprint → key, the form envelope verification takes.
    public let keys: [String: SSHPublicKey]
    /// Identities bound to a certificate, by `sha256:<hex>` of its DER.
    public let byCertificate: [String: Policy.Identity]

    /// Parses every identity's key; a malformed key or a key used twice is an error
    /// naming the identity.
    public init(_ policy: Policy) throws(SigningError) {
        var entries: [String: Entry] = [:]
        var certificates: [String: Policy.Identity] = [:]
        for identity in policy.identities {
            if let certificate = identity.certificate {
                guard certificates.updateValue(identity, forKey: certificate.lowercased()) == nil else {
                    throw SigningError(.duplicateKey, detail: "identity \(identity.name) reuses the certificate \(certificate)")
                }
            }
            guard let line = identity.key else { continue }
            let key: SSHPublicKey
            do {
                key = try SSHPublicKey(authorizedKeysLine: line)
            } catch let error as SigningError {
                throw SigningError(error.code, detail: "identity \(identity.name): \(error.detail)")
            } catch {
                throw SigningError(.malformedPublicKey, detail: "identity \(identity.name)")
            }
            guard entries[key.fingerprint] == nil else {
                throw SigningError(.duplicateKey, detail: "identity \(identity.name) reuses the key \(key.fingerprint)")
            }
            entries[key.fingerprint] = Entry(identity: identity, key: key)
        }
        byFingerprint = entries
        keys = entries.mapValues(\.key)
        byCertificate = certificates
    }

    public func identity(for fingerprint: String) -> Policy.Identity? {
        byFingerprint[fingerprint]?.identity
    }

    /// The identity a verified signature belongs to: by its certificate when it came
    /// with one, else by its key.
    public func identity(for signature: VerifiedSignature) -> Policy.Identity? {
        if let certificate = signature.certificate {
            return byCertificate[certificate.fingerprint.lowercased()]
        }
        return byFingerprint[signature.keyID]?.identity
    }
}

extension SSHSignature {
    /// Verifies a commit's SSH signature (namespace `git`) and returns it as verified only
    /// when the signing key is one of `keys` (fingerprint → key).
    public static func verifyCommit(armored: String, signedData: Data, keys: [String: SSHPublicKey]) throws -> VerifiedSignature {
        let key = try verify(armored: armored, message: signedData, namespace: "git", known: keys)
        guard keys[key.fingerprint] == key else {
            throw SigningError(.unknownKey, detail: key.fingerprint)
        }
        return VerifiedSignature(publicKey: key)
    }
}
