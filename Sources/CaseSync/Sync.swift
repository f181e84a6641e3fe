import Foundation
import CaseStore
internal import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// What one round of sync did with the node's local steps (DESIGN §7).
public struct SyncReport: Sendable {
    /// Commits the hub had that the node took, after validating them.
    public var received = 0
    /// Local steps replayed on top of what came, per case.
    public var replayed: [String] = []
    /// Local steps no longer legal: kept under `refs/webjcase/conflicts/<case>/<n>`.
    public var conflicts: [Conflict] = []

    public init() {}

    public struct Conflict: Sendable {
        public let caseID: String
        public let ref: String
        public let findings: [Finding]
    }
}

/// What a push to the hub came back with.
public enum HubPushResult: Sendable {
    case accepted(messages: String)
    /// Another node pushed first: fetch and try again.
    case behind(messages: String)
    /// The hub's validator refused it: the messages say why.
    case refused(messages: String)
}

/// How far a transfer with the hub has come: objects done of the total, and bytes.
public struct SyncProgress: Sendable {
    public let done: Int
    public let total: Int
    public let bytes: Int
}

/// libgit2's progress, as this target's own type.
private func relay(_ progress: ((SyncProgress) -> Void)?) -> ((TransferProgress) -> Void)? {
    progress.map { report in { step in report(SyncProgress(done: step.done, total: step.total, bytes: step.bytes)) } }
}

extension CaseRepository {
    public static let incomingRef = "refs/webjcase/incoming/main"
    /// The hub's receipts as last fetched; they become `refs/webjcase/receipts` once `main`
    /// holds what they cover (so that a node's receipts always describe its own history).
    public static let incomingReceiptsRef = "refs/webjcase/incoming/receipts"
    public static let conflictsPrefix = "refs/webjcase/conflicts/"

    /// The hub's address and this node's credentials, from the node's config
    /// (`webjcase.hub`, `webjcase.node`, `webjcase.tokenFile`): never from the command line.
    func hubCredentials() throws -> (url: String, credentials: RemoteCredentials?) {
        let node = try nodeConfig()
        guard let url = node.hub else { throw CaseError(.repoNodeNotConfigured, ["path": location, "key": "webjcase.hub"]) }
        guard let tokenFile = try git.config("webjcase.tokenFile") else { return (url, nil) }
        let token = String(decoding: try readInputFile(tokenFile), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (url, RemoteCredentials(user: node.name, password: token))
    }

    /// Fetches the hub's `main` into `refs/webjcase/incoming/main` and its receipts.
    public func fetchHub(progress: ((SyncProgress) -> Void)? = nil) throws {
        let (url, credentials) = try hubCredentials()
        do {
            try git.fetch(url: url, refspecs: ["+refs/heads/main:\(Self.incomingRef)", "+\(Self.receiptsRef):\(Self.incomingReceiptsRef)"],
                          credentials: credentials, progress: relay(progress))
        } catch let error as GitError {
            throw CaseError(.repoUnreachable, ["url": url, "detail": error.message], status: .unreachable)
        }
    }

    /// Takes what was fetched: every commit the hub has and the node lacks is validated
    /// (each at its own time, as `verify` does) before `main` moves — a hub serving an
    /// invalid history cannot move a node; then the node's own unpushed steps are replayed
    /// on top, each re-validated and re-signed by the node; a step no longer legal is kept
    /// under `refs/webjcase/conflicts/<case>/<n>`, never dropped.
    public func integrateIncoming(clock: any CaseClock, lock: WriteLock.Held) throws -> SyncReport {
        requireHeld(lock)
        var report = SyncReport()
        guard let incoming = try git.reference(Self.incomingRef) else { return report }
        let local = try headID()
        if incoming == local {
            try adoptReceipts()
            return report
        }
        let received = try git.walk(from: [incoming], hiding: [local], oldestFirst: true)
        var history = CommitValidator(git: git, mode: .history(.init()), elsewhere: try elsewhere())
        if !received.isEmpty {
            // The organizations' cases at the node's tip come from the derived index (the
            // validator brings them to each received commit by tree differences).
            history.cache = try CaseIndex.organizationsCache(git, at: local)
            history.useIndexFromNowOn()
        }
        for id in received {
            let findings = try git.commit(id).parents.isEmpty ? [HistoryRules.root(commit: id.hex)] : history.validate(id).findings
            guard findings.refusals.isEmpty else {
                throw HubHistoryRefused(findings: findings.refusals.map { var f = $0; f.commit = id.hex; return f })
            }
        }
        report.received = received.count
        let mine = try git.walk(from: [local], hiding: [incoming], oldestFirst: true)
        var tip = incoming
        let oldTree = try git.commit(local).tree
        if !mine.isEmpty {
            let validator = CommitValidator(git: git, mode: .local(now: clock.now(), useIndex: true), elsewhere: try elsewhere(),
                                            cache: try CaseIndex.organizationsCache(git, at: incoming))
            let node = try nodeConfig()
            let key = try loadKey(node.keyPath)
            let settings = try Snapshot(git: git, commit: tip).settings()
            var failedCases = Set<String>()
            for id in mine {
                let commit = try git.commit(id)
                let caseID = commit.trailers.last { $0.key == "Case" }?.value ?? "unknown"
                // A later step of a case whose earlier step conflicted stands on it: it goes too.
                var findings: [Finding] = []
                var candidate: ObjectID?
                if !failedCases.contains(caseID) {
                    let tree = try treeReplaying(id, onto: tip)
                    let replayed = try NodeCommitWriter.commit(in: git, tree: tree, parent: tip, message: commit.message,
                                                               author: .node(node.name, jurisdiction: settings.config.jurisdiction),
                                                               time: clock.now(), key: key)
                    let verdict = try validator.validate(replayed)
                    findings = verdict.findings
                    if verdict.isAccepted { candidate = replayed }
                }
                if let candidate {
                    tip = candidate
                    report.replayed.append(caseID)
                } else {
                    failedCases.insert(caseID)
                    let prefix = Self.conflictsPrefix + caseID + "/"
                    let number = try git.references(matching: prefix + "*").count + 1
                    try git.updateReference(prefix + "\(number)", to: id, expected: nil, message: "webjcase: conflict")
                    report.conflicts.append(.init(caseID: caseID, ref: prefix + "\(number)", findings: findings.refusals))
                }
            }
        }
        try git.moveReference(Self.mainRef, to: tip, expected: local, message: "webjcase: sync")
        if git.workDirectory != nil {
            try git.checkout(tree: try git.commit(tip).tree, baseline: oldTree)
        }
        try adoptReceipts()
        return report
    }

    /// The fetched receipts become the node's once `main` holds the hub's `main` they came
    /// with (a sync killed before that leaves the node's receipts as they were).
    func adoptReceipts() throws {
        guard let receipts = try git.reference(Self.incomingReceiptsRef), let incoming = try git.reference(Self.incomingRef) else { return }
        let head = try headID()
        guard try head == incoming || git.isDescendant(head, of: incoming) else { return }
        let current = try git.reference(Self.receiptsRef)
        if current == receipts { return }
        try git.updateReference(Self.receiptsRef, to: receipts, expected: current, message: "webjcase: receipts")
    }

    /// The tree of `tip` with the files `commit` added or changed (a step commit only adds):
    /// the same step, its documents and signatures unchanged, on another history.
    func treeReplaying(_ commit: ObjectID, onto tip: ObjectID) throws -> ObjectID {
        let replayed = try git.commit(commit)
        let changes = try git.changes(from: replayed.parents.first.map { try git.commit($0).tree }, to: replayed.tree)
        return try git.buildTree(base: try git.commit(tip).tree, changes: changes.compactMap { change in
            guard let newID = change.newID, let mode = change.newMode else { return nil }
            return .set(path: change.path, id: newID, mode: mode.fileMode ?? .blob)
        })
    }

    /// Whether `main` holds commits the hub's `main` (as last fetched) lacks.
    public func hasUnpushedCommits() throws -> Bool {
        let head = try headID()
        guard let incoming = try git.reference(Self.incomingRef) else { return true }
        if head == incoming { return false }
        return try !git.walk(from: [head], hiding: [incoming]).isEmpty
    }

    /// Pushes `main` to the hub, fast-forward only.
    public func pushHub(lock: WriteLock.Held, progress: ((SyncProgress) -> Void)? = nil) throws -> HubPushResult {
        requireHeld(lock)
        let (url, credentials) = try hubCredentials()
        let outcome: PushOutcome
        do {
            outcome = try git.push(url: url, refspec: "\(Self.mainRef):\(Self.mainRef)", credentials: credentials, progress: relay(progress))
        } catch let error as GitError where error.code == .nonFastForward {
            // libgit2 saw, before sending anything, that the hub moved since we fetched.
            return .behind(messages: error.message)
        } catch let error as GitError {
            throw CaseError(.syncPushFailed, ["url": url, "detail": error.message], status: .unreachable)
        }
        guard let rejection = outcome.rejection else { return .accepted(messages: outcome.remoteMessages) }
        if Self.lostRace(outcome) { return .behind(messages: outcome.remoteMessages + rejection) }
        return .refused(messages: outcome.remoteMessages + rejection)
    }

    /// Whether a refused push lost to another node's: that push moved the ref before ours
    /// (refused as not a fast-forward) or while ours was being checked (git could not lock
    /// the ref). Fetch and try again; anything else is a real refusal. The personal store's
    /// hook says it with S-PERSONAL-HISTORY.
    static func lostRace(_ outcome: PushOutcome) -> Bool {
        let said = ((outcome.rejection ?? "") + "\n" + outcome.remoteMessages).lowercased()
        return said.contains("fetch first") || said.contains("non-fast-forward") || said.contains("cannot lock ref")
            || said.contains("failed to update ref")
            || (said.contains("[s-ref]") || said.contains("[s-personal-history]")) && said.contains("fast-forward")
    }

    /// Why a set-aside step cannot be recorded now: it replayed on today's `main` and judged.
    public func validateConflict(_ ref: String, clock: any CaseClock) throws -> [Finding] {
        guard let id = try git.reference(ref) else { throw CaseError(.conflictUnknown, ["ref": ref]) }
        let tip = try headID()
        return try CommitValidator(git: git, mode: .local(now: clock.now()), elsewhere: try elsewhere())
            .validateStaged(tree: try treeReplaying(id, onto: tip), parent: tip).refusals
    }

    /// Drops one set-aside step (its ref; the objects go with git's garbage collection).
    public func dropConflict(_ ref: String, lock: WriteLock.Held) throws {
        requireHeld(lock)
        guard ref.hasPrefix(Self.conflictsPrefix), try git.reference(ref) != nil else {
            throw CaseError(.conflictUnknown, ["ref": ref])
        }
        try git.deleteReference(ref)
    }

    /// The steps set aside by sync: `refs/webjcase/conflicts/<case>/<n>`.
    public func conflicts() throws -> [(ref: String, caseID: String, commit: String, action: String)] {
        try git.references(matching: Self.conflictsPrefix + "*").map { ref in
            let commit = try git.commit(ref.id)
            return (ref.name, commit.trailers.last { $0.key == "Case" }?.value ?? "?", ref.id.hex,
                    commit.trailers.last { $0.key == "Action" }?.value ?? "?")
        }.sorted { $0.ref < $1.ref }
    }
}

/// The hub served commits the validator refuses: the node's `main` did not move.
public struct HubHistoryRefused: Error, Sendable {
    public let findings: [Finding]
}

/// How fresh a node's trust material is, as `sync` reports it.
public struct TrustFreshness: Sendable {
    public let policyVersion: Int
    /// When the policy in force was committed (the committer time of the commit that last changed it).
    public let policySince: Date?
    /// The years with an office calendar.
    public let calendarYears: [Int]
    /// Each revocation list: its file name and the update after which it is stale.
    public let revocationLists: [(name: String, nextUpdate: Date?)]
}

extension CaseRepository {
    /// The policy's version and age, the calendars, and the revocation lists' next updates at `main`.
    public func trustFreshness() throws -> TrustFreshness {
        let head = try headID()
        let snapshot = try Snapshot(git: git, commit: head)
        let settings = try snapshot.settings()
        var since: Date?
        let policyBlob = try git.entry(at: "trust/policy.yaml", inTree: snapshot.tree)?.id
        // The newest commit whose parent held other policy bytes. Derived once: the answer
        // for an earlier head is kept under .git/webjcase/, and only the commits since are read.
        let path = (git.gitDirectory as NSString).appendingPathComponent("webjcase/policy-since-v1")
        let stored = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: " ").map(String.init)
        var known: ObjectID?
        if let stored, stored.count == 3, let blob = ObjectID(hex: stored[0]), blob == policyBlob,
           let commit = ObjectID(hex: stored[1]), let seconds = TimeInterval(stored[2]), git.objectExists(commit),
           try commit == head || git.isDescendant(head, of: commit) {
            known = commit
            since = Date(timeIntervalSince1970: seconds)
        }
        for id in try git.walk(from: [head], hiding: known.map { [$0] } ?? []) {
            let commit = try git.commit(id)
            guard let parent = commit.parents.first else { since = commit.committer.time; break }
            if try git.entry(at: "trust/policy.yaml", inTree: try git.commit(parent).tree)?.id != policyBlob {
                since = commit.committer.time
                break
            }
        }
        if let policyBlob, let since {
            // Derived data: a repository this process may not write to still answers.
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? AtomicFile.write(Data("\(policyBlob.hex) \(head.hex) \(Int(since.timeIntervalSince1970))".utf8), to: path)
        }
        let years = try snapshot.names("calendar").compactMap { entry -> Int? in
            guard case .calendar(let year) = RepositoryPath("calendar/\(entry.name)") else { return nil }
            return year
        }.sorted()
        let lists = try snapshot.names("trust/crl").filter { $0.name.hasSuffix(".crl") }.map { entry in
            let list = try snapshot.data("trust/crl/\(entry.name)").flatMap { try? CertificateRevocationList(data: $0) }
            return (entry.name, list?.nextUpdate)
        }
        return TrustFreshness(policyVersion: settings.policy.version, policySince: since, calendarYears: years, revocationLists: lists)
    }
}

extension CaseRepository {
    /// Packs a node's history may spread over before `sync` has git pack it again, as `hub
    /// init` lets a hub's (`gc.autoPackLimit`). libgit2 keeps one pack per fetch and never
    /// repacks; `verify`'s memory grows with the number of packs (docs/performance.md).
    public static let packLimit = 8

    /// The pack files under `objects/pack`.
    public func packCount() throws -> Int {
        let directory = URL(fileURLWithPath: gitDirectory).appendingPathComponent("objects/pack").path
        guard FileManager.default.fileExists(atPath: directory) else { return 0 }
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pack") }.count
    }

    /// What git's automatic gc does for a hub after pushes: once history is spread over more
    /// than ``packLimit`` packs, `git repack -a -d` packs it in one. The new pack is complete
    /// before the old ones go, so a crash leaves the old or the new; it takes none of git's
    /// ref locks (unlike `gc`, which also packs refs and expires reflogs), so the recovery of
    /// a killed `sync` has nothing of it to clean up, and a repack left running finishes
    /// alone. Returns the pack count it found when it ran, nil when nothing was to do; throws
    /// when git failed.
    public func consolidatePacks(lock: WriteLock.Held) throws -> Int? {
        requireHeld(lock)
        let count = try packCount()
        guard count > Self.packLimit else { return nil }
        try runGit(["repack", "-a", "-d", "-q"], gitDirectory: gitDirectory)
        return count
    }
}

extension CaseRepository {
    /// The hub's clock when it took this node's last push: the time of the hub's newest
    /// receipt, fetched now, when that receipt names `main`'s tip; nil when it names
    /// another push (someone pushed since). The node's own receipts do not move: the
    /// receipts fetched may cover a push that came after this one, which `main` does not
    /// hold yet (the next sync takes them with the `main` they describe).
    public func hubTimeOfLastPush() throws -> Date? {
        let (url, credentials) = try hubCredentials()
        try git.fetch(url: url, refspecs: ["+\(Self.receiptsRef):\(Self.incomingReceiptsRef)"], credentials: credentials)
        guard let tip = try git.reference(Self.incomingReceiptsRef), let head = try git.reference(Self.mainRef) else { return nil }
        let receipt = try receipt(at: tip)
        return receipt.commits.contains(head.hex) ? receipt.receivedAt.date : nil
    }
}
