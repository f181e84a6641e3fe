import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// A hub's receipt for one accepted push (DESIGN §5): which commits it received, when
/// (the hub's clock), from whom, chained to the previous receipt. Each is a commit on
/// `refs/webjcase/receipts` whose tree holds `receipt.yaml`, signed by the hub's key.
public struct Receipt: Sendable, Codable, Equatable {
    public var kind = "receipt"
    public var format = formatVersion
    /// 1 for the first receipt, then one more each.
    public var sequence: Int
    /// The previous receipt's commit id, or `none`.
    public var previous: String
    public var receivedAt: Timestamp
    /// The node that pushed (its token's name), when the transport said.
    public var by: String
    public var ref: String
    public var old: String
    public var new: String
    /// The commits the push brought, oldest first.
    public var commits: [String]
    /// The other jurisdictions' `main` as the pre-receive hook read them to judge the push
    /// (jurisdiction → commit id): the view `verify` judges these commits' cross-case rules
    /// by. Absent in receipts of hubs that did not record it.
    public var views: [String: String]? = nil

    public init(sequence: Int, previous: String, receivedAt: Timestamp, by: String, ref: String, old: String, new: String,
                commits: [String], views: [String: String]? = nil) {
        self.sequence = sequence
        self.previous = previous
        self.receivedAt = receivedAt
        self.by = by
        self.ref = ref
        self.old = old
        self.new = new
        self.commits = commits
        self.views = views
    }
}

/// A receipt as `/status` shows it.
public struct ReceiptSummary: Sendable, Codable, Equatable {
    public let id: String
    public let sequence: Int
    public let receivedAt: String
    public let by: String
    public let commits: Int
}

extension CaseRepository {
    public static let receiptsRef = "refs/webjcase/receipts"

    package func receipt(at id: ObjectID) throws -> Receipt {
        guard let entry = try git.entry(at: "receipt.yaml", inTree: try git.commit(id).tree) else {
            throw CaseError(.receiptUnreadable, ["commit": String(id.hex.prefix(12))], status: .ruleBroken)
        }
        return try StrictYAML.decode(Receipt.self, from: try git.blob(entry.id), file: "\(Self.receiptsRef):receipt.yaml")
    }

    /// The tips `main` had after each push the hub received, with when, oldest first; nil
    /// without receipts (a history that never passed a hub).
    func receivedTips() throws -> [(at: Date, tip: ObjectID)]? {
        guard let tip = try git.reference(Self.receiptsRef) else { return nil }
        return try git.walk(from: [tip], oldestFirst: true).compactMap { id in
            guard let receipt = try? receipt(at: id), let new = ObjectID(hex: receipt.new), new != .zero else { return nil }
            return (receipt.receivedAt.date, new)
        }
    }

    /// Where the pre-receive hook leaves the view it judged a push's tip by, for the receipt.
    private func viewFile(of tip: String) -> String {
        ((git.gitDirectory as NSString).appendingPathComponent("webjcase/views") as NSString).appendingPathComponent(tip)
    }

    /// The pre-receive hook: the other jurisdictions' tips it judged the push to `tip` by,
    /// recorded at `now` (views older than a day are dropped).
    func recordView(_ view: [String: ObjectID], of tip: ObjectID, now: Date) throws {
        guard !view.isEmpty else { return }
        let path = viewFile(of: tip.hex)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Views of pushes git refused after the hook (a lost race) have no receipt to go to.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let old = (directory as NSString).appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: old))?[.modificationDate] as? Date,
               now.timeIntervalSince(modified) > 86_400 {
                try? FileManager.default.removeItem(atPath: old)
            }
        }
        let text = view.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.hex)\n" }.joined()
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    package func recordedView(of tip: ObjectID) throws -> [String: String]? {
        guard let data = FileManager.default.contents(atPath: viewFile(of: tip.hex)) else { return nil }
        var view: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, NodeName.isValid(String(parts[0])), ObjectID(hex: String(parts[1])) != nil else { continue }
            view[String(parts[0])] = String(parts[1])
        }
        return view.isEmpty ? nil : view
    }

    package func forgetView(of tip: String) {
        try? FileManager.default.removeItem(atPath: viewFile(of: tip))
    }

    /// The view each commit was judged by on the hub, by the receipt that first names it.
    func receiptViews() throws -> [String: [String: ObjectID]] {
        guard let tip = try git.reference(Self.receiptsRef) else { return [:] }
        var views: [String: [String: ObjectID]] = [:]
        for id in try git.walk(from: [tip], oldestFirst: true) {
            guard let receipt = try? receipt(at: id), let recorded = receipt.views else { continue }
            let view = recorded.compactMapValues { ObjectID(hex: $0) }
            for commit in receipt.commits where views[commit] == nil { views[commit] = view }
        }
        return views
    }

    /// When the hub received each commit, by the receipt chain (the first receipt that
    /// names a commit); empty without receipts.
    func receiptTimes() throws -> [String: Date] {
        guard let tip = try git.reference(Self.receiptsRef) else { return [:] }
        var times: [String: Date] = [:]
        for id in try git.walk(from: [tip], oldestFirst: true) {
            guard let receipt = try? receipt(at: id) else { continue }
            for commit in receipt.commits where times[commit] == nil { times[commit] = receipt.receivedAt.date }
        }
        return times
    }

    /// The newest receipt, for `/status`.
    public func lastReceipt() throws -> ReceiptSummary? {
        guard let tip = try git.reference(Self.receiptsRef) else { return nil }
        let receipt = try receipt(at: tip)
        return ReceiptSummary(id: tip.hex, sequence: receipt.sequence, receivedAt: receipt.receivedAt.text, by: receipt.by,
                              commits: receipt.commits.count)
    }

    /// `verify`: the receipt chain is unbroken (sequence 1, 2, 3…, each naming its parent),
    /// every receipt is signed by a hub key of the policy at `main`, and what each covers is
    /// history of `main`.
    func verifyReceipts() throws -> [Finding] {
        guard let tip = try git.reference(Self.receiptsRef) else { return [] }
        let keys = try settings().keys
        let head = try headID()
        var findings: [Finding] = []
        let chain = try git.walk(from: [tip], oldestFirst: true)
        for (index, id) in chain.enumerated() {
            let commit = try git.commit(id)
            guard let receipt = try? self.receipt(at: id) else {
                findings += HistoryRules.receipt(ReceiptEvidence(commit: id.hex, readable: false, chained: false, hubSigned: false, onMain: false))
                continue
            }
            var hubSigned = false
            if let (armored, data) = try git.commitSignature(id),
               let verified = try? SSHSignature.verifyCommit(armored: String(decoding: armored, as: UTF8.self), signedData: data, keys: keys.keys) {
                hubSigned = keys.identity(for: verified)?.roles.contains(.hub) == true
            }
            var onMain = true
            if let new = ObjectID(hex: receipt.new), new != head { onMain = try git.isDescendant(head, of: new) }
            findings += HistoryRules.receipt(ReceiptEvidence(
                commit: id.hex, readable: true,
                chained: receipt.sequence == index + 1 && receipt.previous == (commit.parents.first?.hex ?? "none") && commit.parents.count <= 1,
                hubSigned: hubSigned, onMain: onMain))
        }
        return findings
    }
}
