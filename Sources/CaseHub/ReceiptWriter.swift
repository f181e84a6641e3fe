import Foundation
import CaseModel
import CaseYAML
import CaseSigning
import CaseStore
internal import GitKit

extension CaseRepository {
    /// The post-receive hook on a hub (`webjcase.hubKey` set by `hub init`): one receipt
    /// per accepted update of `main`, appended with a compare-and-swap so that concurrent
    /// pushes each get theirs in one unbroken chain. Returns the receipts written.
    public func appendReceipts(_ updates: [RefUpdate], pusher: String, now: Date) throws -> [Receipt] {
        guard let keyPath = try git.config("webjcase.hubKey") else { return [] }
        let key = try loadKey(keyPath)
        let jurisdiction = try settings().config.jurisdiction
        var written: [Receipt] = []
        for update in updates where update.ref == Self.mainRef {
            guard let new = ObjectID(hex: update.new), new != .zero, let old = ObjectID(hex: update.old) else { continue }
            let commits = try git.walk(from: [new], hiding: old == .zero ? [] : [old], oldestFirst: true).map(\.hex)
            var attempt = 0
            while true {
                attempt += 1
                let tip = try git.reference(Self.receiptsRef)
                let last = try tip.map { try self.receipt(at: $0) }
                // Never before the receipt it follows: the chain's order is its time's order,
                // which `verify` relies on to cut a neighbouring repository at a time.
                let receivedAt = max(Timestamp(now), last?.receivedAt ?? Timestamp(now))
                let next = Receipt(sequence: (last?.sequence ?? 0) + 1, previous: tip?.hex ?? "none", receivedAt: receivedAt,
                                   by: pusher, ref: update.ref, old: update.old, new: update.new, commits: commits,
                                   views: try recordedView(of: new))
                let tree = try git.buildTree(base: nil, changes: [.set(path: "receipt.yaml", id: try git.writeBlob(try DocumentWriter.yaml(next)), mode: .blob)])
                let commit = try NodeCommitWriter.commit(in: git, tree: tree, parent: tip,
                                                         message: NodeCommitWriter.message("receipt \(next.sequence): \(commits.count) commit(s) from \(pusher)"),
                                                         author: .hub(jurisdiction: jurisdiction), time: now, key: key)
                do {
                    try git.updateReference(Self.receiptsRef, to: commit, expected: tip, message: "webjcase: receipt \(next.sequence)")
                    written.append(next)
                    break
                } catch let error as GitError where error.refMoved && attempt < 200 {
                    // Another push's receipt came first: chain onto it.
                    usleep(UInt32.random(in: 1_000...20_000))
                }
            }
        }
        for update in updates { forgetView(of: update.new) }
        return written
    }
}
