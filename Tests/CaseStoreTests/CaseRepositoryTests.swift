import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
import GitKit
import TestSupport
@testable import CaseStore

/// The store in-process: a repository made with the library, no binary.
@Suite struct CaseRepositoryTests {
    let directory: TemporaryDirectory
    let repository: CaseRepository
    let clerk = SigningKey.generate()
    let clock = FixedClock(Timestamp("2026-03-02T10:00:00+08:00")!.date)

    init() throws {
        directory = try TemporaryDirectory("casestore")
        let node = SigningKey.generate()
        let admin = SigningKey.generate()
        try Self.writeKey(node, directory.file("node"))
        try directory.write("policy.yaml", """
        kind: "policy"
        version: 1
        mode: "test"
        threshold: 1
        identities:
          - {name: "edu1", key: "\(node.publicKey.authorizedKeysLine(comment: nil))", roles: ["agency-node"], jurisdiction: "edu"}
          - {name: "chen", key: "\(clerk.publicKey.authorizedKeysLine(comment: nil))", roles: ["clerk"], jurisdiction: "edu"}
          - {name: "lin", key: "\(admin.publicKey.authorizedKeysLine(comment: nil))", roles: ["admin"]}

        """)
        let made = try CaseRepository.initialize(
            InitOptions(directory: directory.file("edu.git"), jurisdiction: "edu", name: "x", node: "edu1",
                        policyFile: directory.file("policy.yaml"), keyPath: directory.file("node"), bare: true, binary: "/bin/false"),
            clock: clock)
        repository = try CaseRepository(path: made.path)
    }

    private static func writeKey(_ key: SigningKey, _ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(key.openSSHPrivateKey(comment: "k").utf8),
                                       attributes: [.posixPermissions: 0o600])
    }

    @Test func caseIDsCountPerNodeKindAndYear() throws {
        let first = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "a"), key: StepSigner(clerk), clock: clock, lock: lock) }
        let second = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "87654321", data: .init(subject: "b"), key: StepSigner(clerk), clock: clock, lock: lock) }
        let change = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "11112222", data: .init(subject: "c"), key: StepSigner(clerk), clock: clock, lock: lock) }
        #expect(first.caseID.description == "REG-2026-edu1-0001")
        #expect(second.caseID.description == "REG-2026-edu1-0002")
        #expect(change.caseID.description == "REG-2026-edu1-0003")
        let nextYear = FixedClock(Timestamp("2026-12-31T16:00:00Z")!.date) // 2027-01-01 00:00 in Taipei
        let third = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "33334444", data: .init(subject: "d"), key: StepSigner(clerk), clock: nextYear, lock: lock) }
        #expect(third.caseID.description == "REG-2027-edu1-0001")
        #expect(try repository.status().map(\.id) == ["REG-2026-edu1-0001", "REG-2026-edu1-0002", "REG-2026-edu1-0003", "REG-2027-edu1-0001"])
    }

    @Test func aCommitOnAMovedRefIsRefusedAndLeavesTheRef() throws {
        let before = try repository.headID()
        _ = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "a"), key: StepSigner(clerk), clock: clock, lock: lock) }
        let moved = try repository.headID()
        // A second writer that read `main` before the first one committed.
        let step = StepDocument(case: CaseID("REG-2026-edu1-0001")!, sequence: 2, action: .initialForward, at: Timestamp(clock.now()),
                                actor: clerk.publicKey.fingerprint, previous: "sha256:x", data: .forward(.init()))
        do {
            _ = try repository.commit(files: [("x", try DocumentWriter.yaml(step))], parent: before, message: "late", clock: clock)
            Issue.record("expected a refusal")
        } catch let error as CaseError {
            Issue.record("unexpected \(error)")
        } catch let violation as RuleViolation {
            // The path `x` is not allowed; the ref is untouched either way.
            #expect(violation.findings.map(\.rule).contains("S-PATH"))
        }
        #expect(try repository.headID() == moved)
    }

    @Test func theRefMustNotMoveBetweenValidationAndUpdate() throws {
        let before = try repository.headID()
        let opened = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "a"), key: StepSigner(clerk), clock: clock, lock: lock) }
        let moved = try repository.headID()
        // A commit that is valid on top of `before` (another case opened there), but `main` moved.
        let caseBytes = try DocumentWriter.yaml(CaseFile(id: CaseID("REG-2026-edu1-0001")!, organization: "87654321", jurisdiction: "edu", node: "edu1"))
        let open = StepDocument(case: CaseID("REG-2026-edu1-0001")!, sequence: 1, action: .open, at: Timestamp(clock.now()),
                                actor: clerk.publicKey.fingerprint, previous: Digest.prefixed(caseBytes), data: .open(.init(subject: "c")))
        let bytes = try DocumentWriter.yaml(open)
        let envelope = try SignatureEnvelope.sign(document: bytes, payloadType: stepPayloadType, key: clerk)
        let dir = "cases/2026/edu1/REG-2026-edu1-0001"
        do {
            _ = try repository.commit(files: [(dir + "/case.yaml", caseBytes), (dir + "/steps/0001-open.yaml", bytes),
                                              (dir + "/steps/0001-open.yaml.sig", envelope.encoded())],
                                      parent: before, message: "REG-2026-edu1-0001 open\n\nCase: REG-2026-edu1-0001\nAction: open\nActor: chen <\(clerk.publicKey.fingerprint)>\n",
                                      clock: clock)
            Issue.record("expected a conflict")
        } catch let error as CaseError {
            #expect(error.message.id == .repoRefMoved)
            #expect(error.status == .conflict)
        }
        #expect(try repository.headID() == moved)
        #expect(opened.sequence == 1)
    }

    /// The write paths take the proof that the lock is held, which only `exclusively`
    /// makes, for this repository; while it is held, the lock file names the command.
    @Test func theWriteLockIsHeldWhileAWritePathRuns() throws {
        let recorded = try repository.exclusively("case open") { lock in
            #expect(lock.gitDirectory == repository.git.gitDirectory)
            let record = try String(contentsOfFile: (repository.git.gitDirectory as NSString).appendingPathComponent("webjcase/lock"), encoding: .utf8)
            #expect(record.hasPrefix("\(getpid()) ") && record.hasSuffix(" case open\n"), "\(record)")
            return try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "a"),
                                           key: StepSigner(clerk), clock: clock, lock: lock)
        }
        #expect(recorded.caseID.description == "REG-2026-edu1-0001")
        #expect(try String(contentsOfFile: (repository.git.gitDirectory as NSString).appendingPathComponent("webjcase/lock"), encoding: .utf8) == "", "released at the end")
    }

    @Test func historyVerifiesAndTamperingIsFound() throws {
        let opened = try repository.exclusively("test") { lock in try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "a"), key: StepSigner(clerk), clock: clock, lock: lock) }
        _ = try repository.exclusively("test") { lock in
            try repository.recordStep(caseID: opened.caseID, action: .submit,
                                      data: .submit(.init(letter: LetterReference(number: "1", date: CalendarDate("2026-03-01")!))),
                                      attachments: [], key: StepSigner(clerk), clock: clock, lock: lock)
        }
        #expect(try repository.verifyHistory().verdict.findings.isEmpty)
        #expect(try repository.verifyHistory().commits == 3)
        #expect(try repository.log(opened.caseID).map(\.action) == ["open", "submit"])
    }
}

/// The write lock's record (`.git/webjcase/lock`): what the next run recovers from.
@Suite struct WriteLockTests {
    /// A run that finds a dead one's record stands for it until it has cleaned up after it:
    /// killed before then, the run after it still recovers from the dead run's `main` and
    /// start (the work tree of a sync killed after `main` moved was once left half staged by
    /// a second kill during the recovery: the long CrashTests run found it).
    @Test func aRunThatTakesOverADeadOneStandsForItUntilItHasRecovered() throws {
        let directory = try TemporaryDirectory("lock")
        try FileManager.default.createDirectory(atPath: directory.file("webjcase"), withIntermediateDirectories: true)
        let before = String(repeating: "a", count: 40), now = try #require(ObjectID(hex: String(repeating: "b", count: 40)))
        try directory.write("webjcase/lock", "4243 1772416800 \(before) sync\n")
        func record() throws -> String { try String(contentsOfFile: directory.file("webjcase/lock"), encoding: .utf8) }

        let lock = try WriteLock(gitDirectory: directory.path, command: "step", wait: 1, location: directory.path, main: { now })
        #expect(lock.deadRun?.main == before && lock.deadRun?.command == "sync")
        #expect(try record() == "\(getpid()) 1772416800 \(before) step\n", "until it has recovered, it stands for the dead run")
        lock.recovered(main: now)
        let own = try record()
        #expect(own.hasPrefix("\(getpid()) ") && own.hasSuffix(" \(now.hex) step\n") && !own.contains("1772416800"), "\(own)")
        lock.release()
        #expect(try record() == "", "a clean end empties the record")

        // With no dead run, the record is the run's own from the start.
        let clean = try WriteLock(gitDirectory: directory.path, command: "status", wait: 1, location: directory.path, main: { now })
        #expect(clean.deadRun == nil)
        #expect(try record().hasSuffix(" \(now.hex) status\n"))
        clean.release()
    }
}
