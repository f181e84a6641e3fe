import Foundation
import GitKit
import CaseModel
import CaseSigning
import CaseRules

/// The signature checks of many commits, done ahead on every core while the validator
/// replays the history in order (DESIGN §6: "signature checks in parallel, state
/// replayed in order"). Each answer is what the validator itself would compute for the
/// same bytes and keys: the node's signature over the commit, and each step envelope
/// signed by keys (certificate-signed envelopes are left to the validator). An answer is
/// looked up by the object ids it was computed from, so it cannot be applied to anything
/// else; whatever is not here the validator checks itself.
final class SignatureBatch: @unchecked Sendable {
    enum CommitVerdict: Sendable {
        case verified(VerifiedSignature)
        case unknownKey(String)
        case bad
        case unsigned
    }

    private(set) var commits: [ObjectID: (policy: ObjectID, verdict: CommitVerdict)] = [:]
    private(set) var steps: [String: SignatureCheck] = [:]
    /// Each commit's changes against its first parent, by `<parent tree>:<tree>`.
    private(set) var changes: [String: [PathChange]] = [:]

    static func key(document: ObjectID, envelope: ObjectID, policy: ObjectID, path: String) -> String {
        "\(document.hex):\(envelope.hex):\(policy.hex):\(path)"
    }

    /// Checks the signatures of `commits` (each against its first parent's policy) on
    /// `workers` threads, each with its own handle on the repository.
    static func check(gitDirectory: String, commits: [ObjectID], workers: Int = ProcessInfo.processInfo.activeProcessorCount) -> SignatureBatch {
        let batch = SignatureBatch()
        let workers = max(1, min(workers, commits.count / 64 + 1))
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            guard let git = try? Repository(path: gitDirectory) else { return }
            var policies: [ObjectID: PolicyKeys?] = [:]
            var commitVerdicts: [ObjectID: (ObjectID, CommitVerdict)] = [:]
            var stepChecks: [String: SignatureCheck] = [:]
            var commitChanges: [String: [PathChange]] = [:]
            var index = worker
            while index < commits.count {
                defer { index += workers }
                let id = commits[index]
                guard let commit = try? git.commit(id), let parentID = commit.parents.first,
                      let parentTree = try? git.commit(parentID).tree,
                      let policyEntry = try? git.entry(at: "trust/policy.yaml", inTree: parentTree), !policyEntry.mode.isTree else { continue }
                let keys: PolicyKeys
                if let known = policies[policyEntry.id] {
                    guard let known else { continue }
                    keys = known
                } else {
                    let parsed = (try? git.blob(policyEntry.id)).flatMap { try? PolicyFile.check($0, file: "trust/policy.yaml").1 }
                    policies[policyEntry.id] = parsed
                    guard let parsed else { continue }
                    keys = parsed
                }
                let verdict: CommitVerdict
                if let (armored, signedData) = (try? git.commitSignature(id)) ?? nil {
                    do {
                        verdict = .verified(try SSHSignature.verifyCommit(armored: String(decoding: armored, as: UTF8.self),
                                                                          signedData: signedData, keys: keys.keys))
                    } catch let error as SigningError where error.code == .unknownKey {
                        verdict = .unknownKey(error.detail)
                    } catch {
                        verdict = .bad
                    }
                } else {
                    verdict = .unsigned
                }
                commitVerdicts[id] = (policyEntry.id, verdict)
                // Step envelopes added by the commit.
                guard let changes = try? git.changes(from: parentTree, to: commit.tree) else { continue }
                commitChanges["\(parentTree.hex):\(commit.tree.hex)"] = changes
                for change in changes where change.status == .added && change.path.hasSuffix(".yaml") {
                    guard case .step(_, _, _, false) = RepositoryPath(change.path), let documentID = change.newID,
                          change.newMode?.fileMode == .blob,
                          let signature = changes.first(where: { $0.path == change.path + ".sig" && $0.status == .added }),
                          let envelopeID = signature.newID, signature.newMode?.fileMode == .blob,
                          let bytes = try? git.blob(documentID), let envelopeBytes = try? git.blob(envelopeID) else { continue }
                    let check: SignatureCheck
                    do {
                        let envelope = try SignatureEnvelope(decoding: envelopeBytes)
                        // Certificates are judged at the step's time against the tree's trust: the validator's.
                        guard !envelope.signatures.contains(where: { $0.chain != nil }) else { continue }
                        check = .verified(try envelope.verify(document: bytes, payloadType: stepPayloadType, keys: keys.keys)[0])
                    } catch let error as SigningError {
                        check = .failed(error.message(file: change.path))
                    } catch {
                        continue
                    }
                    stepChecks[key(document: documentID, envelope: envelopeID, policy: policyEntry.id, path: change.path)] = check
                }
            }
            lock.withLock {
                for (id, value) in commitVerdicts { batch.commits[id] = value }
                batch.steps.merge(stepChecks) { first, _ in first }
                batch.changes.merge(commitChanges) { first, _ in first }
            }
        }
        return batch
    }
}
