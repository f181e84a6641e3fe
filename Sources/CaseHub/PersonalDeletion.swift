import Foundation
import CaseModel
import CaseYAML
import CaseSigning
import CaseStore
internal import GitKit

extension CaseRepository {
    /// On the hub: carries out a deletion request signed by the admin threshold of the
    /// policy at `main`. The jurisdiction's personal store gets a new history without the
    /// values (a tombstone names each deleted commitment and the request); the old objects
    /// are pruned. Returns how many values went.
    public func carryOutPersonalDeletion(request bytes: Data, envelope envelopeBytes: Data, file: String,
                                         clock: any CaseClock, lock: WriteLock.Held) throws -> Int {
        requireHeld(lock)
        let request = try StrictYAML.decode(PersonalDeletionRequest.self, from: bytes, file: file)
        let settings = try settings()
        guard request.kind == "personal-deletion", request.jurisdiction == settings.config.jurisdiction else {
            throw CaseError(.personalDeletionWrongJurisdiction, ["file": file, "found": request.jurisdiction,
                                                                  "expected": settings.config.jurisdiction], status: .ruleBroken)
        }
        let signers: [VerifiedSignature]
        do {
            signers = try SignatureEnvelope(decoding: envelopeBytes).verify(document: bytes, payloadType: documentPayloadType,
                                                                             keys: settings.keys.keys)
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
        let admins = Set(signers.compactMap { settings.keys.identity(for: $0) }
            .filter { $0.roles.contains(.admin) && $0.revoked == nil }.map(\.name))
        guard admins.count >= settings.policy.threshold else {
            throw CaseError(.personalDeletionThreshold, ["file": file, "count": "\(admins.count)",
                                                          "threshold": "\(settings.policy.threshold)"], status: .ruleBroken)
        }
        let storePath = HubLayout(containing: git.gitDirectory).personalStore(settings.config.jurisdiction)
        guard FileManager.default.fileExists(atPath: storePath), let store = try? Repository(path: storePath) else {
            throw CaseError(.repoNotFound, ["path": storePath])
        }
        let head = try store.reference(PersonalStore.ref)
        var changes: [TreeChange] = []
        var deleted = 0
        let digest = Digest.prefixed(bytes)
        let current = try head.map { try Self.entries(store, commit: $0) } ?? [:]
        for commitment in request.commitments where PersonalField.isCommitment(commitment) {
            let path = PersonalStore.entryPath(commitment)
            if current[path] != nil {
                changes.append(.remove(path: path))
                deleted += 1
            }
            let tombstone = PersonalTombstone(commitment: commitment, request: digest, deletedAt: Timestamp(clock.now()))
            changes.append(.set(path: PersonalStore.tombstonePath(commitment), id: try store.writeBlob(try DocumentWriter.yaml(tombstone)), mode: .blob))
        }
        let tree = try store.buildTree(base: try head.map { try store.commit($0).tree }, changes: changes)
        let key = try loadKey(try git.config("webjcase.hubKey") ?? nodeConfig().keyPath)
        // A new history: no commit may still reach the deleted values.
        let commit = try NodeCommitWriter.commit(in: store, tree: tree, parent: nil,
                                                 message: NodeCommitWriter.message("personal: \(deleted) value(s) of \(request.organization) deleted",
                                                                                   trailers: [("Request", digest)]),
                                                 author: .hub(jurisdiction: settings.config.jurisdiction), time: clock.now(), key: key)
        try store.updateReference(PersonalStore.ref, to: commit, expected: head, message: "webjcase: personal deletion")
        try Self.prune(storePath)
        return deleted
    }
}
