import Foundation
import CaseStore
internal import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// What a push may bring to a hub's personal store (`<root>/<jurisdiction>.personal.git`,
/// docs/format.md §10): a closed world, like a case repository. `refs/heads/main` only,
/// moved fast-forward by a line of commits each on the one before; each commit signed by a
/// node that may write to the jurisdiction (the node that pushes, when the transport says
/// who), author and committer that node; each tree holding only `entries/<hh>/<hex>.yaml`
/// (and the hub's own `deleted/`, untouched); each new entry small, opening its commitment
/// at its own path, and not a value the admins deleted; no entry ever changed or removed.
/// Only the hub rewrites the store, for a deletion the admins co-signed, and not by a push
/// (`carryOutPersonalDeletion`).
struct PersonalPushCheck {
    static let maxEntryBytes = PersonalStore.maxEntryBytes
    /// A commit is its header, a one-line message and a signature: about a kilobyte.
    static let maxCommitBytes = 64 << 10
    /// A directory: a shard of some forty thousand entries (a store of ten million).
    static let maxTreeBytes = 4 << 20
    /// Past this many refusals the push is refused without looking further.
    static let maxFindings = 50

    let git: Repository
    let pusher: String?
    /// The push's own object directory (`GIT_QUARANTINE_PATH`), when git says it.
    let quarantine: String?
    private(set) var findings: [Finding] = []
    /// The objects of the push the checks have read: its commits, the directories that
    /// changed, the new entries. Anything else the push brings is refused.
    private var judged = Set<ObjectID>()
    /// The policy of the case repository beside the store, read when first needed.
    private var settings: RepositorySettings?

    init(git: Repository, pusher: String?, quarantine: String? = nil) {
        self.git = git
        self.pusher = pusher
        self.quarantine = quarantine
    }

    /// Keeps what a rule (PersonalStoreRules) found, naming the commit it was found in.
    private mutating func record(_ finding: Finding?, commit: ObjectID? = nil) {
        guard var finding else { return }
        finding.commit = commit?.hex
        findings.append(finding)
    }

    private var full: Bool { findings.count >= Self.maxFindings }

    /// `<root>/<jurisdiction>.git` for `<root>/<jurisdiction>.personal.git`.
    static func caseRepositoryPath(ofStore gitDirectory: String) -> String? {
        HubLayout.caseRepository(ofPersonalStore: gitDirectory)
    }

    /// The policy at `main` of the jurisdiction's case repository; nil (with a refusal) when
    /// it cannot be read.
    private mutating func policy() -> RepositorySettings? {
        if let settings { return settings }
        let path = Self.caseRepositoryPath(ofStore: git.gitDirectory)
        do {
            guard let path else { throw CaseError(.repoNotFound, ["path": git.gitDirectory]) }
            settings = try CaseRepository(path: path).settings()
        } catch {
            let detail = (error as? CaseError)?.message.render(.en) ?? "\(error)"
            record(PersonalStoreRules.noPolicy(store: git.gitDirectory, detail: detail))
        }
        return settings
    }

    /// Judges one ref update of the push.
    mutating func check(_ update: RefUpdate) throws {
        guard let old = ObjectID(hex: update.old), let new = ObjectID(hex: update.new) else { return }
        func refUpdate(fastForward: Bool?) -> Finding? {
            PersonalStoreRules.refUpdate(ref: update.ref, storeRef: PersonalStore.ref, deletes: new == .zero, fastForward: fastForward)
        }
        if let refusal = refUpdate(fastForward: nil) { return record(refusal) }
        guard new != old else { return }
        let base: ObjectID? = old == .zero ? nil : old
        if let base, let refusal = refUpdate(fastForward: try git.isDescendant(new, of: base)) { return record(refusal) }
        // The commits the push brings: `git rev-list NEW --not --all`, oldest first.
        let commits = try git.walk(from: [new], hiding: try git.references(matching: "refs/*").map(\.id), oldestFirst: true)
        guard !commits.isEmpty else { return record(refUpdate(fastForward: false)) }
        guard let settings = policy() else { return }
        if let pusher, let refusal = settings.pusherRefusal(pusher) { return findings.append(refusal) }
        let deleted = try tombstoneCommitments(base)
        var previous = base
        for id in commits {
            judged.insert(id)
            if let refusal = PersonalStoreRules.commitSize(commit: id.hex, size: try git.objectSize(id), limit: Self.maxCommitBytes) {
                return record(refusal, commit: id)
            }
            let commit = try git.commit(id)
            let before = findings.count
            if let refusal = PersonalStoreRules.parents(commit: id.hex, parents: commit.parents.map(\.hex),
                                                        expected: previous.map { [$0.hex] } ?? []) {
                return record(refusal, commit: id)
            }
            try checkSigner(commit, settings: settings)
            try checkTree(commit.tree, parent: try previous.map { try git.commit($0).tree }, commit: id, deleted: deleted)
            // What follows a refused commit stands on it: the first refusal is the news.
            if findings.count > before { return }
            previous = id
        }
    }

    /// After every update is judged and none refused: the push brought nothing else. A
    /// client may put any object into its pack, and git keeps all of them once the push is
    /// accepted; only those the checks read, or that the store already had (a thin pack's
    /// bases), may come.
    mutating func checkBroughtNothingElse() throws {
        guard findings.isEmpty, let quarantine, !quarantine.isEmpty else { return }
        let brought = try ObjectDirectory(path: quarantine)
        let stored = try ObjectDirectory(path: git.gitDirectory + "/objects")
        for id in Set(try brought.objectIDs()).sorted() where !judged.contains(id) && !stored.contains(id) {
            record(PersonalStoreRules.unreferenced(object: id.hex))
            if full { return }
        }
    }

    /// The commit is signed (SSHSIG, namespace git) by a node of the policy that may write to
    /// the jurisdiction, not revoked, the node that pushes; author and committer name it.
    private mutating func checkSigner(_ commit: Commit, settings: RepositorySettings) throws {
        let signature: SignatureCheck
        if let (armored, data) = try git.commitSignature(commit.id) {
            do {
                signature = .verified(try SSHSignature.verifyCommit(armored: String(decoding: armored, as: UTF8.self), signedData: data,
                                                                    keys: settings.keys.keys))
            } catch {
                signature = .failed(Message(.personalCommitBadSignature, ["commit": String(commit.id.hex.prefix(12)),
                                                                         "jurisdiction": settings.config.jurisdiction]))
            }
        } else {
            signature = .missing
        }
        record(PersonalStoreRules.signer(commit: commit.id.hex, signature: signature, keys: settings.keys,
                                         jurisdiction: settings.config.jurisdiction, pusher: pusher,
                                         people: [(commit.author.name, commit.author.email), (commit.committer.name, commit.committer.email)]),
               commit: commit.id)
    }

    /// The commitments the store's tombstones name (`deleted/<hh>/<hex>.yaml`, written by the
    /// hub): by each file's name and by the commitment it holds.
    private func tombstoneCommitments(_ tip: ObjectID?) throws -> Set<String> {
        guard let tip, let deleted = try git.entry(at: "deleted", inTree: try git.commit(tip).tree), deleted.mode.isTree else { return [] }
        var commitments = Set<String>()
        for shard in try git.treeEntries(deleted.id) where shard.mode.isTree {
            for file in try git.treeEntries(shard.id) where !file.mode.isTree {
                if Self.isEntryName(file.name, shard: shard.name) { commitments.insert("sha256:" + file.name.dropLast(5)) }
                if let tombstone = try? StrictYAML.decode(PersonalTombstone.self, from: try git.blob(file.id), file: "deleted/\(shard.name)/\(file.name)") {
                    commitments.insert(tombstone.commitment)
                }
            }
        }
        return commitments
    }

    static func isShard(_ name: String) -> Bool { PersonalStoreRules.isShard(name) }

    /// `<64 hex>.yaml` whose first two digits are `shard`.
    static func isEntryName(_ name: String, shard: String) -> Bool { PersonalStoreRules.isEntryName(name, shard: shard) }

    /// Walks the tree of a pushed commit against its parent's, without recursion: the root
    /// (depth 0) holds `entries` and the hub's `deleted`, `entries` (1) holds shards, a
    /// shard (2) holds entry files; nothing is read below. What the parent holds under the
    /// same name with the same id and mode (a file or a whole directory) was judged when it
    /// came and is not judged again: on a store that took something else before these
    /// checks, it stays, and nothing new may join it.
    private mutating func checkTree(_ tree: ObjectID, parent: ObjectID?, commit: ObjectID, deleted: Set<String>) throws {
        struct Level { let path: String; let new: ObjectID; let old: ObjectID?; let depth: Int }
        let treeMode = EntryMode(.tree), fileMode = EntryMode(.blob)
        var pending = [Level(path: "", new: tree, old: parent, depth: 0)]
        while let level = pending.popLast(), !full {
            judged.insert(level.new)
            let shown = level.path.isEmpty ? "/" : level.path + "/"
            if let refusal = PersonalStoreRules.treeSize(path: shown, size: try git.objectSize(level.new), limit: Self.maxTreeBytes) {
                record(refusal, commit: commit)
                continue
            }
            let entries: [TreeEntry]
            do {
                entries = try git.treeEntries(level.new)
            } catch let error as GitError where error.code == .invalid {
                // A name that is not UTF-8.
                record(PersonalStoreRules.path(shown), commit: commit)
                continue
            }
            let olds = try level.old.map { try git.treeEntries($0) } ?? []
            let oldByName = Dictionary(olds.map { ($0.name, $0) }) { first, _ in first }
            let names = Set(entries.map(\.name))
            func path(_ name: String) -> String { level.path.isEmpty ? name : "\(level.path)/\(name)" }
            if entries.isEmpty, level.depth > 0 {
                record(PersonalStoreRules.path(shown), commit: commit)
            }
            for old in olds where !names.contains(old.name) {
                // What the store held stays: an entry, a shard of entries, or the tombstones.
                let removed = path(old.name) + (old.mode.isTree ? "/" : "")
                if level.depth == 0, old.name == "deleted" {
                    record(PersonalStoreRules.tombstonesChanged(), commit: commit)
                } else {
                    record(PersonalStoreRules.removed(removed), commit: commit)
                }
            }
            for entry in entries {
                if full { break }
                let here = path(entry.name)
                let old = oldByName[entry.name]
                // What the parent holds as it is was judged when it came.
                if old == entry { continue }
                switch level.depth {
                case 0 where entry.name == "deleted":
                    record(PersonalStoreRules.tombstonesChanged(), commit: commit)
                case 0 where entry.name == "entries" && entry.mode == treeMode, 1 where Self.isShard(entry.name) && entry.mode == treeMode:
                    pending.append(Level(path: here, new: entry.id, old: old?.mode == treeMode ? old?.id : nil, depth: level.depth + 1))
                case 2 where old != nil:
                    record(PersonalStoreRules.changed(here), commit: commit)
                case 2 where Self.isEntryName(entry.name, shard: String(level.path.dropFirst("entries/".count))) && entry.mode == fileMode:
                    try checkNewEntry(here, entry.id, deleted: deleted, commit: commit)
                default:
                    let named = here + (entry.mode.isTree ? "/" : "")
                    record(PersonalStoreRules.path(named), commit: commit)
                    // A deleted value is named as such wherever it is put.
                    if !entry.mode.isTree {
                        let value = try? readEntry(entry.id, path: here)
                        record(PersonalStoreRules.deletedValue(path: here, commitment: value?.commitment, deleted: deleted), commit: commit)
                    }
                }
            }
        }
    }

    /// A new entry: small, not a deleted value, opening its commitment at its own path.
    private mutating func checkNewEntry(_ path: String, _ id: ObjectID, deleted: Set<String>, commit: ObjectID) throws {
        judged.insert(id)
        if let refusal = PersonalStoreRules.entrySize(path: path, size: try git.objectSize(id), limit: Self.maxEntryBytes) {
            return record(refusal, commit: commit)
        }
        let entry = try? readEntry(id, path: path)
        // Compared by commitment, not by path: a deleted value never comes back.
        if let refusal = PersonalStoreRules.deletedValue(path: path, commitment: entry?.commitment, deleted: deleted) {
            return record(refusal, commit: commit)
        }
        record(PersonalStoreRules.entry(path: path, kind: entry?.kind, opens: entry?.opens ?? false,
                                        ownPath: entry.map { PersonalStore.entryPath($0.commitment) }), commit: commit)
    }

    /// The entry blob `id` holds, when it is one and no larger than an entry may be.
    private func readEntry(_ id: ObjectID, path: String) throws -> PersonalEntry? {
        guard try git.objectSize(id) <= Self.maxEntryBytes else { return nil }
        return try StrictYAML.decode(PersonalEntry.self, from: try git.blob(id), file: path)
    }
}

extension CaseRepository {
    /// The pre-receive hook of a hub's personal store (`webjcase hook personal-pre-receive`):
    /// every update and every commit it brings judged by `PersonalPushCheck`. `pusher` is the
    /// node the transport authenticated (`WEBJCASE_PUSHER`, set by `webjcase serve`);
    /// `quarantine` the push's own objects (`GIT_QUARANTINE_PATH`, set by git).
    public static func checkPersonalPush(_ updates: [RefUpdate], pusher: String? = nil, quarantine: String? = nil) throws -> [Finding] {
        var check = PersonalPushCheck(git: try Repository.openFromEnvironment(), pusher: pusher, quarantine: quarantine)
        for update in updates {
            try check.check(update)
        }
        try check.checkBroughtNothingElse()
        return check.findings
    }
}
