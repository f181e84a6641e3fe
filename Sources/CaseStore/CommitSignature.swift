import Foundation
package import GitKit
import CaseModel
import CaseSigning
import CaseRules

/// What a commit's SSHSIG signature (git's `gpgsig` header, namespace "git") says against
/// the keys of a policy: the one classification the validator, the signature batch and
/// the root commit's check all use.
package enum CommitSignatureVerdict: Sendable {
    /// Made by one of the keys.
    case verified(VerifiedSignature)
    /// A valid signature by a key the keys do not list (its fingerprint).
    case unknownKey(String)
    /// Not a valid signature over the commit.
    case bad
    /// The commit carries no signature.
    case unsigned

    /// Classifies `signed` (the armored signature and the bytes it signs, as
    /// `Repository.commitSignature` returns them; nil: unsigned) against `keys`.
    package static func classify(_ signed: (signature: Data, signedData: Data)?, keys: [String: SSHPublicKey]) -> CommitSignatureVerdict {
        guard let (armored, signedData) = signed else { return .unsigned }
        do {
            return .verified(try SSHSignature.verifyCommit(armored: String(decoding: armored, as: UTF8.self),
                                                           signedData: signedData, keys: keys))
        } catch let error as SigningError where error.code == .unknownKey {
            return .unknownKey(error.detail)
        } catch {
            return .bad
        }
    }

    /// Classifies the signature of commit `id` in `git` against `keys` (a missing commit throws).
    package static func of(_ id: ObjectID, in git: Repository, keys: [String: SSHPublicKey]) throws -> CommitSignatureVerdict {
        classify(try git.commitSignature(id), keys: keys)
    }

    /// The verdict as the commit rules read it (S-COMMIT-SIGNATURE, S-SIGNER).
    package func check(commit short: String) -> SignatureCheck {
        switch self {
        case .verified(let verified): .verified(verified)
        // Verified, but by a key the policy does not list: the rules say why that is refused.
        case .unknownKey(let fingerprint): .failed(Message(.ruleCommitSigner, ["commit": short, "fingerprint": fingerprint]))
        case .bad: .failed(Message(.ruleCommitBadSignature, ["commit": short]))
        case .unsigned: .missing
        }
    }
}
