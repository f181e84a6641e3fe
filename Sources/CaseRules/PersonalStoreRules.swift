import Foundation
import CaseModel
import CaseSigning

/// The rules of a push to a hub's personal store (`<root>/<jurisdiction>.personal.git`,
/// docs/format.md §10), as pure functions of what the hub's check read of the push: each
/// returns a finding under its own id only, or nil. The check (CaseHub's
/// `PersonalPushCheck`) walks the pushed commits and trees and calls them.
public enum PersonalStoreRules {
    /// Every id these rules return (S-PERSONAL also for a step carrying personal values,
    /// StructureRules).
    public static let ids = ["S-PERSONAL", "S-PERSONAL-HISTORY", "S-PERSONAL-SIZE", "S-PERSONAL-PATH", "S-PERSONAL-SIGNER",
                             "S-PERSONAL-DELETED", "S-PERSONAL-IMMUTABLE"]

    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        Finding(rule: rule, severity: .refuse, path: path, message: Message(id, arguments))
    }

    // MARK: S-PERSONAL-HISTORY

    /// S-PERSONAL-HISTORY: only the store's branch moves, is never deleted, and only
    /// forward. `fastForward`: whether the new tip descends from the old and brings commits
    /// (nil: a new branch, or not asked).
    public static func refUpdate(ref: String, storeRef: String, deletes: Bool, fastForward: Bool?) -> Finding? {
        let arguments = ["ref": ref]
        guard ref == storeRef else { return refuse("S-PERSONAL-HISTORY", nil, .personalRefNotMain, arguments) }
        guard !deletes else { return refuse("S-PERSONAL-HISTORY", nil, .personalRefDeletion, arguments) }
        if fastForward == false { return refuse("S-PERSONAL-HISTORY", nil, .personalNonFastForward, arguments) }
        return nil
    }

    /// S-PERSONAL-HISTORY: one line of history on the store's tip, each commit on the one before.
    public static func parents(commit: String, parents: [String], expected: [String]) -> Finding? {
        parents == expected ? nil : refuse("S-PERSONAL-HISTORY", nil, .personalCommitParents,
                                           ["commit": String(commit.prefix(12)), "count": "\(parents.count)"])
    }

    // MARK: S-PERSONAL-SIZE

    /// S-PERSONAL-SIZE: a commit is its header, a one-line message and a signature.
    public static func commitSize(commit: String, size: Int, limit: Int) -> Finding? {
        size <= limit ? nil : refuse("S-PERSONAL-SIZE", nil, .personalCommitTooLarge,
                                     ["commit": String(commit.prefix(12)), "size": "\(size)", "limit": "\(limit)"])
    }

    /// S-PERSONAL-SIZE: a directory of the store.
    public static func treeSize(path: String, size: Int, limit: Int) -> Finding? {
        size <= limit ? nil : refuse("S-PERSONAL-SIZE", path, .personalTreeTooLarge, ["path": path, "size": "\(size)", "limit": "\(limit)"])
    }

    /// S-PERSONAL-SIZE: one entry.
    public static func entrySize(path: String, size: Int, limit: Int) -> Finding? {
        size <= limit ? nil : refuse("S-PERSONAL-SIZE", path, .personalEntryTooLarge, ["path": path, "size": "\(size)", "limit": "\(limit)"])
    }

    // MARK: S-PERSONAL-PATH

    /// A shard of `entries/`: two lowercase hex digits.
    public static func isShard(_ name: String) -> Bool {
        name.utf8.count == 2 && name.utf8.allSatisfy(isLowerHex)
    }

    /// `<64 hex>.yaml` whose first two digits are `shard`.
    public static func isEntryName(_ name: String, shard: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count == 69 && name.hasSuffix(".yaml") && bytes[..<64].allSatisfy(isLowerHex) && name.hasPrefix(shard)
            && isShard(shard)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }

    /// S-PERSONAL-PATH: a name where the store's layout has none (`entries/<hh>/<hex>.yaml`
    /// only), an empty directory, or a name that is not UTF-8.
    public static func path(_ path: String) -> Finding {
        refuse("S-PERSONAL-PATH", path, .personalPathInvalid, ["path": path])
    }

    /// S-PERSONAL-PATH: an object the push brought that no pushed tree names.
    public static func unreferenced(object: String) -> Finding {
        refuse("S-PERSONAL-PATH", nil, .personalObjectUnreferenced, ["object": object])
    }

    // MARK: S-PERSONAL-SIGNER

    /// S-PERSONAL-SIGNER: the policy of the case repository beside the store does not read.
    public static func noPolicy(store: String, detail: String) -> Finding {
        refuse("S-PERSONAL-SIGNER", nil, .personalNoPolicy, ["path": store, "detail": detail])
    }

    /// S-PERSONAL-SIGNER: the commit is signed (SSHSIG, namespace git) by a node of the
    /// policy that may write to the jurisdiction, not revoked, the node that pushes (when
    /// the transport says); author and committer name it.
    public static func signer(commit: String, signature: SignatureCheck, keys: PolicyKeys, jurisdiction: String, pusher: String?,
                              people: [(name: String, email: String)]) -> Finding? {
        let short = String(commit.prefix(12))
        let verified: VerifiedSignature
        switch signature {
        case .missing: return refuse("S-PERSONAL-SIGNER", nil, .personalCommitUnsigned, ["commit": short])
        case .failed: return refuse("S-PERSONAL-SIGNER", nil, .personalCommitBadSignature, ["commit": short, "jurisdiction": jurisdiction])
        case .verified(let signature): verified = signature
        }
        guard let node = keys.identity(for: verified), node.revoked == nil, node.maySignCommits(in: jurisdiction) else {
            let name = keys.identity(for: verified)?.name ?? verified.keyID
            return refuse("S-PERSONAL-SIGNER", nil, .personalCommitSigner, ["commit": short, "node": name, "jurisdiction": jurisdiction])
        }
        if let pusher, node.name != pusher {
            return refuse("S-PERSONAL-SIGNER", nil, .personalCommitNotPusher, ["commit": short, "node": node.name, "pusher": pusher])
        }
        let email = CommitterEmail.personal(node.name)
        for person in people where person.name != node.name || person.email != email {
            return refuse("S-PERSONAL-SIGNER", nil, .personalCommitter, ["commit": short, "node": node.name,
                                                                         "found": "\(person.name) <\(person.email)>"])
        }
        return nil
    }

    // MARK: S-PERSONAL-DELETED, S-PERSONAL-IMMUTABLE, S-PERSONAL

    /// S-PERSONAL-DELETED: the hub's tombstones (`deleted/`) change only by the hub.
    public static func tombstonesChanged() -> Finding {
        refuse("S-PERSONAL-DELETED", "deleted/", .personalTombstonesChanged, ["path": "deleted/"])
    }

    /// S-PERSONAL-DELETED: a value the admins deleted never comes back (by its commitment).
    public static func deletedValue(path: String, commitment: String?, deleted: Set<String>) -> Finding? {
        guard let commitment, deleted.contains(commitment) else { return nil }
        return refuse("S-PERSONAL-DELETED", path, .personalEntryDeleted, ["path": path])
    }

    /// S-PERSONAL-IMMUTABLE: an entry (or a shard of them) the store held is removed.
    public static func removed(_ path: String) -> Finding {
        refuse("S-PERSONAL-IMMUTABLE", path, .personalEntryRemoved, ["path": path])
    }

    /// S-PERSONAL-IMMUTABLE: an entry the store held is changed.
    public static func changed(_ path: String) -> Finding {
        refuse("S-PERSONAL-IMMUTABLE", path, .personalEntryChanged, ["path": path])
    }

    /// S-PERSONAL: a new entry reads as a personal value that opens its commitment, at the
    /// path its commitment names (`ownPath`).
    public static func entry(path: String, kind: String?, opens: Bool, ownPath: String?) -> Finding? {
        guard kind == "personal", opens, ownPath == path else {
            return refuse("S-PERSONAL", path, .personalEntryInvalid, ["path": path])
        }
        return nil
    }
}
