import Foundation
import Testing
import CaseModel
import CaseSigning
import TestSupport
@testable import GitKit
@testable import CaseStore
@testable import CaseSync

/// A node's sync round in-process, against a hub that is a bare case repository on disk
/// (reached by path: git's own push to a path runs no hooks, so the hub's pre-receive
/// judgement is the end-to-end tests' part; what the node does is judged here).
@Suite struct SyncTests {
    /// The hub `hub/edu.git` (with its personal store beside it) and two nodes of edu,
    /// `a.git` (edu1) and `b.git` (edu2), each a clone of it.
    final class Nodes: @unchecked Sendable {
        let work: TemporaryDirectory
        let hub: String
        let a: CaseRepository
        let b: CaseRepository
        let keys: [String: SigningKey]

        init() throws {
            let work = try TemporaryDirectory("sync")
            self.work = work
            var keys: [String: SigningKey] = [:]
            var lines = ""
            for (name, roles) in [("edu1", "[\"agency-node\", \"admin\"]"), ("edu2", "[\"agency-node\"]"), ("chen", "[\"clerk\"]")] {
                let key = SigningKey.generate()
                keys[name] = key
                lines += "  - {name: \"\(name)\", key: \"\(key.publicKey.authorizedKeysLine(comment: nil))\", roles: \(roles), jurisdiction: \"edu\"}\n"
                _ = FileManager.default.createFile(atPath: work.file(name), contents: Data(key.openSSHPrivateKey(comment: name).utf8),
                                                   attributes: [.posixPermissions: 0o600])
            }
            self.keys = keys
            try work.write("policy.yaml", "kind: \"policy\"\nversion: 1\nmode: \"test\"\nthreshold: 1\nidentities:\n" + lines)
            let hub = HubLayout(root: work.file("hub")).caseRepository("edu")
            self.hub = hub
            let made = try CaseRepository.initialize(
                InitOptions(directory: hub, jurisdiction: "edu", name: "臺南市政府教育局", node: "edu1",
                            policyFile: work.file("policy.yaml"), keyPath: work.file("edu1"), bare: true, binary: "/bin/false"),
                clock: Self.at("2026-03-02T08:00:00+08:00"))
            _ = try Repository.create(at: HubLayout(root: work.file("hub")).personalStore("edu"), bare: true)
            func clone(_ directory: String, _ node: String) throws -> CaseRepository {
                try CaseRepository.clone(CloneOptions(url: hub, directory: work.file(directory), node: node, pin: made.policyFingerprint,
                                                      keyPath: work.file(node), bare: true, binary: "/bin/false")).repository
            }
            a = try clone("a.git", "edu1")
            b = try clone("b.git", "edu2")
        }

        static func at(_ time: String) -> FixedClock { FixedClock(Timestamp(time)!.date) }

        func open(_ node: CaseRepository, _ organization: String, at time: String) throws -> RecordedStep {
            try node.exclusively("test") { lock in
                try node.openCase(kind: .registration, organization: organization, data: .init(subject: "Registration of \(organization)"),
                                  key: StepSigner(keys["chen"]!), clock: Self.at(time), lock: lock)
            }
        }

        func hubHead() throws -> String { try CaseRepository(path: hub).head() }
    }

    @Test func aStepMadeOfflineIsPushedAndTheOtherNodeReceivesIt() throws {
        let nodes = try Nodes()
        let step = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        #expect(try nodes.a.hasUnpushedCommits())
        let pushed = try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        #expect(pushed.pushed && pushed.retries == 0)
        // Even with nothing received, a node's own steps are made again on the hub's tip at
        // the sync (re-validated now, committed now): the commit differs, its message does not.
        #expect(pushed.report.received == 0 && pushed.report.replayed == [step.caseID.description] && pushed.report.conflicts.isEmpty)
        let head = try nodes.a.head()
        #expect(try nodes.hubHead() == head)
        #expect(head != step.commit)
        #expect(try nodes.a.git.commit(try nodes.a.headID()).message == (try nodes.a.git.commit(try #require(ObjectID(hex: step.commit))).message))
        // "Unpushed" is against the hub's main as last fetched: the next fetch settles it.
        try nodes.a.fetchHub()
        #expect(try !nodes.a.hasUnpushedCommits())

        let received = try SyncRunner.run(nodes.b, clock: Nodes.at("2026-03-02T10:06:00+08:00"))
        #expect(!received.pushed && received.report.received == 1)
        #expect(try nodes.b.head() == head)
        // Once more: nothing new either way.
        let again = try SyncRunner.run(nodes.b, clock: Nodes.at("2026-03-02T10:07:00+08:00"))
        #expect(!again.pushed && again.report.received == 0)
    }

    @Test func aReplayedStepKeepsItsDocumentsAndIsSignedByTheNode() throws {
        let nodes = try Nodes()
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        _ = try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        let theirs = try nodes.hubHead()
        let mine = try nodes.open(nodes.b, "87654321", at: "2026-03-02T10:01:00+08:00")
        let original = try nodes.b.git.commit(try #require(ObjectID(hex: mine.commit)))

        let result = try SyncRunner.run(nodes.b, clock: Nodes.at("2026-03-02T10:10:00+08:00"))
        #expect(result.pushed && result.report.received == 1)
        #expect(result.report.replayed == [mine.caseID.description])
        #expect(result.report.conflicts.isEmpty)
        let git = nodes.b.git
        let tip = try nodes.b.headID()
        #expect(tip.hex != mine.commit, "replayed on the hub's tip, a new commit")
        #expect(try nodes.hubHead() == tip.hex)
        let replayed = try git.commit(tip)
        #expect(replayed.parents.map(\.hex) == [theirs], "on top of what the other node pushed")
        #expect(replayed.parents != original.parents)
        #expect(replayed.message == original.message, "its message and trailers (Case, Action) unchanged")
        // The same files, byte for byte: the clerk's signed step document is not re-signed.
        func added(_ commit: Commit) throws -> [String: ObjectID] {
            Dictionary(uniqueKeysWithValues: try git.changes(from: try git.commit(commit.parents[0]).tree, to: commit.tree)
                .compactMap { change in change.newID.map { (change.path, $0) } })
        }
        let files = try added(replayed)
        let originalFiles = try added(original)
        #expect(!files.isEmpty && files == originalFiles)
        #expect(files.keys.allSatisfy { $0.hasPrefix("cases/") })
        // The commit is the node's, signed with its key, at the time of the replay.
        #expect(replayed.committer.name == "edu2" && replayed.committer.email == "edu2@edu.webjcase")
        #expect(replayed.committer.time == Timestamp("2026-03-02T10:10:00+08:00")!.date)
        let (signature, signed) = try #require(try git.commitSignature(tip))
        let signer = try SSHSignature.verify(armored: String(decoding: signature, as: UTF8.self), message: signed, namespace: "git")
        #expect(signer.fingerprint == nodes.keys["edu2"]!.publicKey.fingerprint)
        // And the whole history verifies, on the node and on the hub.
        #expect(try nodes.b.verifyHistory().verdict.findings.refusals.isEmpty)
        #expect(try CaseRepository(path: nodes.hub).verifyHistory().verdict.findings.refusals.isEmpty)
    }

    @Test func aStepNoLongerLegalIsSetAsideNeverDropped() throws {
        let nodes = try Nodes()
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        _ = try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        // b, offline, opens a second application of the same organization, and one of another.
        let clash = try nodes.open(nodes.b, "12345678", at: "2026-03-02T10:01:00+08:00")
        let fine = try nodes.open(nodes.b, "87654321", at: "2026-03-02T10:02:00+08:00")

        let result = try SyncRunner.run(nodes.b, clock: Nodes.at("2026-03-02T10:10:00+08:00"))
        #expect(result.report.replayed == [fine.caseID.description])
        let conflict = try #require(result.report.conflicts.first)
        #expect(result.report.conflicts.count == 1)
        #expect(conflict.caseID == clash.caseID.description)
        #expect(conflict.ref == CaseRepository.conflictsPrefix + clash.caseID.description + "/1")
        #expect(!conflict.findings.isEmpty && conflict.findings.allSatisfy { $0.severity == .refuse })
        #expect(result.pushed)
        // main went on without it; the step itself is kept under its ref, unchanged.
        let snapshot = try nodes.b.git.walk(from: [try nodes.b.headID()]).map(\.hex)
        #expect(!snapshot.contains(clash.commit))
        #expect(try nodes.b.git.reference(conflict.ref)?.hex == clash.commit)

        let listed = try nodes.b.conflicts()
        #expect(listed.count == 1)
        #expect(listed.first?.ref == conflict.ref && listed.first?.caseID == clash.caseID.description)
        #expect(listed.first?.commit == clash.commit && listed.first?.action == "open")
        // Why it cannot be recorded now: the same rules as at the sync.
        #expect(try nodes.b.validateConflict(conflict.ref).map(\.rule) == conflict.findings.map(\.rule))

        #expect(throws: CaseError.self) { try nodes.b.dropConflict(CaseRepository.mainRef) }
        #expect(try nodes.b.git.reference(CaseRepository.mainRef) != nil)
        #expect(throws: CaseError.self) { try nodes.b.dropConflict(CaseRepository.conflictsPrefix + "REG-2026-edu2-9999/1") }
        #expect(throws: CaseError.self) { try nodes.b.validateConflict(CaseRepository.conflictsPrefix + "nothing/1") }
        try nodes.b.dropConflict(conflict.ref)
        #expect(try nodes.b.conflicts().isEmpty)
        #expect(throws: CaseError.self) { try nodes.b.dropConflict(conflict.ref) }
    }

    @Test func aSecondConflictOfACaseTakesTheNextNumber() throws {
        let nodes = try Nodes()
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        _ = try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        let clash = try nodes.open(nodes.b, "12345678", at: "2026-03-02T10:01:00+08:00")
        // An earlier sync's conflict of the same case stands at /1 already.
        try nodes.b.git.updateReference(CaseRepository.conflictsPrefix + clash.caseID.description + "/1",
                                        to: try #require(ObjectID(hex: clash.commit)), expected: nil, message: "earlier")
        let result = try SyncRunner.run(nodes.b, clock: Nodes.at("2026-03-02T10:10:00+08:00"))
        #expect(result.report.conflicts.map(\.ref) == [CaseRepository.conflictsPrefix + clash.caseID.description + "/2"])
        #expect(!result.pushed, "nothing of b's is left to push")
        #expect(try nodes.b.head() == (try nodes.hubHead()))
        #expect(try nodes.b.conflicts().map(\.ref).count == 2)
    }

    @Test func aHubServingAnotherRootMovesNoNode() throws {
        let nodes = try Nodes()
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        let before = try nodes.a.head()
        // The hub's main replaced by a commit without parents over the same tree.
        let hubRepository = try CaseRepository(path: nodes.hub)
        let hub = hubRepository.git
        let head = try hubRepository.headID()
        let who = Signature(name: "edu1", email: "edu1@edu.webjcase", time: Timestamp("2026-03-02T09:00:00+08:00")!.date,
                            timeZoneOffsetMinutes: 480)
        let key = nodes.keys["edu1"]!
        let root = try hub.createCommit(tree: try hub.commit(head).tree, parent: nil, author: who, committer: who,
                                        message: "another beginning\n") { try SSHSignature.sign($0, namespace: "git", key: key) }
        try hub.updateReference(CaseRepository.mainRef, to: root, expected: head, message: "rewritten")

        let refused = #expect(throws: HubHistoryRefused.self) {
            try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        }
        #expect(refused?.findings.map(\.rule) == ["S-ROOT"])
        #expect(refused?.findings.first?.commit == root.hex)
        #expect(try nodes.a.head() == before, "the node's main did not move")
        #expect(try hub.reference(CaseRepository.mainRef) == root, "and nothing was pushed")
    }

    @Test func personalValuesTravelBesideTheCaseRepository() throws {
        let nodes = try Nodes()
        let step = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        let salt = Data(repeating: 7, count: 32)
        let entry = PersonalEntry(commitment: PersonalEntry.commitment(salt: salt, value: "王小明"), salt: salt.base64EncodedString(),
                                  value: "王小明", case: step.caseID)
        let store = try #require(try PersonalStore.open(for: nodes.a, create: true))
        try store.add([entry], node: "edu1", key: nodes.keys["edu1"]!, clock: Nodes.at("2026-03-02T10:00:00+08:00"))

        let sent = try SyncRound.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"))
        #expect(sent.result.pushed)
        #expect(sent.personal.sent == 1 && sent.personal.received == 0)
        #expect(sent.clockSkew == nil, "a hub reached by path writes no receipt to compare clocks with")
        // The hub's store is the one beside its case repository.
        let hubStore = try Repository(path: HubLayout.personalURL(ofCaseURL: nodes.hub))
        let hubTip = try #require(try hubStore.reference(PersonalStore.ref))
        #expect(try hubStore.entry(at: PersonalStore.entryPath(entry.commitment), inTree: try hubStore.commit(hubTip).tree) != nil)

        let received = try SyncRound.run(nodes.b, clock: Nodes.at("2026-03-02T10:06:00+08:00"))
        #expect(received.personal.received == 1 && received.personal.sent == 0)
        let theirs = try #require(try PersonalStore.open(for: nodes.b, create: false))
        #expect(try theirs.entry(entry.commitment) == entry)
        // Nothing new: nothing moves.
        let again = try SyncRound.run(nodes.a, clock: Nodes.at("2026-03-02T10:07:00+08:00"))
        #expect(again.personal.sent == 0 && again.personal.received == 0 && !again.result.pushed)
        #expect(try hubStore.reference(PersonalStore.ref) == hubTip)
    }

    /// A hub that keeps moving ahead of the node: each push is behind, and the runner
    /// tries again within its budget, then stops with the budget's error. (The pushes go
    /// to a second repository whose main has gone elsewhere, through git's `pushInsteadOf`.)
    @Test func theRetryBudgetBoundsLostRaces() throws {
        let nodes = try Nodes()
        let elsewhere = nodes.work.file("elsewhere.git")
        _ = try CaseRepository.clone(CloneOptions(url: nodes.hub, directory: elsewhere, node: "edu1",
                                                  pin: try nodes.a.settings().policyFingerprint, keyPath: nodes.work.file("edu1"),
                                                  bare: true, binary: "/bin/false"))
        _ = try nodes.open(try CaseRepository(path: elsewhere), "87654321", at: "2026-03-02T09:30:00+08:00")
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        try nodes.a.git.setConfig("url.\(elsewhere).pushInsteadOf", nodes.hub)
        let started = Date()
        let error = #expect(throws: CaseError.self) {
            try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00"),
                               options: SyncRunner.Options(retryBudget: 3, baseDelay: 0.01, maxDelay: 0.02))
        }
        #expect(error?.status == .conflict)
        #expect(error?.message.render(.en).contains("pushed first 4 times") == true, "\(error?.message.render(.en) ?? "")")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try nodes.hubHead() != (try nodes.a.head()), "nothing reached the hub")
    }

    @Test func aRefusedPushIsARaceOnlyWhenGitOrTheHookSaysSo() {
        func outcome(_ rejection: String?, _ messages: String = "") -> PushOutcome {
            PushOutcome(rejection: rejection, remoteMessages: messages)
        }
        let races = [
            outcome("fetch first"),
            outcome("non-fast-forward"),
            outcome("failed to update ref"),
            outcome("pre-receive hook declined", "remote: error: cannot lock ref 'refs/heads/main'"),
            outcome("pre-receive hook declined", "remote: [S-REF] refs/heads/main: not a fast-forward of the hub's main"),
            outcome("pre-receive hook declined", "remote: [S-PERSONAL-HISTORY] not a fast-forward"),
        ]
        for race in races { #expect(CaseRepository.lostRace(race), "\(race.rejection ?? "") \(race.remoteMessages)") }
        let refusals = [
            outcome("pre-receive hook declined", "remote: [S-SIGNER] the step's signer may not open a case"),
            outcome("pre-receive hook declined", "remote: [S-REF] refs/heads/other: only main may be pushed"),
            outcome("pre-receive hook declined"),
        ]
        for refusal in refusals { #expect(!CaseRepository.lostRace(refusal), "\(refusal.remoteMessages)") }
    }

    @Test func anUnreachableHubIsNamedAndMovesNothing() throws {
        let nodes = try Nodes()
        _ = try nodes.open(nodes.a, "12345678", at: "2026-03-02T10:00:00+08:00")
        let before = try nodes.a.head()
        let nowhere = nodes.work.file("nowhere/edu.git")
        try nodes.a.git.setConfig("webjcase.hub", nowhere)
        let error = #expect(throws: CaseError.self) { try SyncRunner.run(nodes.a, clock: Nodes.at("2026-03-02T10:05:00+08:00")) }
        #expect(error?.status == .unreachable)
        #expect(error?.message.render(.en).contains(nowhere) == true)
        #expect(try nodes.a.head() == before)
        #expect(CaseRepository.personalURL(nowhere) == nodes.work.file("nowhere/edu.personal.git"))
    }
}

/// The write paths under the repository's write lock, as the command line takes it.
private extension SyncRound {
    static func run(_ repository: CaseRepository, clock: any CaseClock) throws -> Outcome {
        try repository.exclusively("test") { lock in try run(repository, clock: clock, lock: lock) }
    }
}

private extension SyncRunner {
    static func run(_ repository: CaseRepository, clock: any CaseClock, options: Options = Options()) throws -> Result {
        try repository.exclusively("test") { lock in try run(repository, clock: clock, lock: lock, options: options) }
    }
}

private extension CaseRepository {
    func dropConflict(_ ref: String) throws {
        try exclusively("test") { lock in try dropConflict(ref, lock: lock) }
    }

    /// Judged again at the time of the test's last sync.
    func validateConflict(_ ref: String) throws -> [Finding] {
        try validateConflict(ref, clock: FixedClock(Timestamp("2026-03-02T10:10:00+08:00")!.date))
    }

    func syncPersonal(clock: any CaseClock) throws -> PersonalSyncReport {
        try exclusively("test") { lock in try syncPersonal(clock: clock, lock: lock) }
    }
}
