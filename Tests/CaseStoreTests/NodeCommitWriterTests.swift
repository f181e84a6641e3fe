import Foundation
import Testing
import CaseModel
import CaseSigning
import GitKit
import CaseRules
import TestSupport
@testable import CaseStore

/// Every commit a node or the hub writes goes through `NodeCommitWriter`: the bytes must
/// stay exactly those written before it existed (same names, e-mails, time zone, message
/// format and signature), so that repositories keep one shape. A commit's id is the SHA-1
/// of its bytes: the ids below were produced by the code each path had of its own, with
/// the same key, tree, time and messages.
@Suite struct NodeCommitWriterTests {
    static let keyText = """
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    QyNTUxOQAAACBmFnYm+uMb6kHCj56GaQ0KUJiQfPiiXIAshVmsI/dw1AAAAJDtHO8Y7Rzv
    GAAAAAtzc2gtZWQyNTUxOQAAACBmFnYm+uMb6kHCj56GaQ0KUJiQfPiiXIAshVmsI/dw1A
    AAAEDbo97Dqjq94hc9ta7sH5iVF8naGNZaXh4wltX4uM97qGYWdib64xvqQcKPnoZpDQpQ
    mJB8+KJcgCyFWawj93DUAAAABnBpbm5lZAECAwQFBgc=
    -----END OPENSSH PRIVATE KEY-----

    """

    /// The fixed inputs: a one-file tree in a new bare repository, the key above, a time.
    struct Fixture {
        let directory: TemporaryDirectory
        let git: Repository
        let key: SigningKey
        let tree: ObjectID
        let time = Date(timeIntervalSince1970: 1_767_574_800)  // 2026-01-05T09:00:00+08:00

        init() throws {
            directory = try TemporaryDirectory()
            git = try Repository.create(at: directory.file("pin.git"), bare: true)
            key = try SigningKey(openSSHPrivateKey: NodeCommitWriterTests.keyText)
            tree = try git.buildTree(base: nil, changes: [.set(path: "a.txt", id: try git.writeBlob(Data("a\n".utf8)), mode: .blob)])
        }

        func commit(_ author: CommitAuthor, parent: ObjectID?, _ message: String) throws -> ObjectID {
            try NodeCommitWriter.commit(in: git, tree: tree, parent: parent, message: message, author: author, time: time, key: key)
        }

        /// The commit's header lines and message, as git prints them.
        func show(_ id: ObjectID) throws -> String {
            try runProcess(gitBinary, ["--git-dir", git.gitDirectory, "cat-file", "commit", id.hex]).stdout
        }
    }

    @Test func eachKindOfCommitIsByteForByteWhatWasWrittenBefore() throws {
        let f = try Fixture()
        let root = try f.commit(.node("edu1", jurisdiction: "edu"), parent: nil,
                                NodeCommitWriter.message("Initialize the case repository of edu",
                                                         trailers: [("Jurisdiction", "edu"), ("Policy", "sha256:00")]))
        let personal = try f.commit(.personal("edu1"), parent: root, NodeCommitWriter.message("personal: 2 value(s) from edu1"))
        let hub = try f.commit(.hub(jurisdiction: "edu"), parent: root,
                               NodeCommitWriter.message("personal: 1 value(s) of 12345678 deleted", trailers: [("Request", "sha256:ff")]))
        #expect(root.hex == "373ee49ffc34f9cf51b32d73851272518ff6765e")
        #expect(personal.hex == "25b832645d635c4e1f90abff02baecf0ede1af69")
        #expect(hub.hex == "eddd836ee1d71d96d45bac2622bed96d9f8e9984")
        let shown = try f.show(root)
        #expect(shown.contains("\nauthor edu1 <edu1@edu.webjcase> 1767574800 +0800\ncommitter edu1 <edu1@edu.webjcase> 1767574800 +0800\ngpgsig -----BEGIN SSH SIGNATURE-----\n"))
        #expect(shown.hasSuffix("\n\nInitialize the case repository of edu\n\nJurisdiction: edu\nPolicy: sha256:00\n"))
        #expect(try f.show(personal).contains("\ncommitter edu1 <edu1@personal.webjcase> 1767574800 +0800\n"))
        #expect(try f.show(hub).contains("\ncommitter hub <hub@edu.webjcase> 1767574800 +0800\n"))
        // What `git verify-commit` and the validator check: a signature in namespace "git".
        #expect(CommitSignatureVerdict.classify(try f.git.commitSignature(hub), keys: [f.key.publicKey.fingerprint: f.key.publicKey])
            .check(commit: "x").isVerified)
    }

    @Test func messagesAreASubjectAndTrailers() {
        #expect(NodeCommitWriter.message("receipt 3: 2 commit(s) from edu1") == "receipt 3: 2 commit(s) from edu1\n")
        #expect(NodeCommitWriter.message("REG-2026-edu1-0001 submit", trailers: [
            ("Case", "REG-2026-edu1-0001"), ("Action", "submit"), ("Actor", "chen.clerk <SHA256:abc>")])
            == "REG-2026-edu1-0001 submit\n\nCase: REG-2026-edu1-0001\nAction: submit\nActor: chen.clerk <SHA256:abc>\n")
        #expect(NodeCommitWriter.message("Change trust/policy.yaml, calendar/2026.yaml",
                                         trailers: [("Change", "trust/policy.yaml"), ("Change", "calendar/2026.yaml")])
            == "Change trust/policy.yaml, calendar/2026.yaml\n\nChange: trust/policy.yaml\nChange: calendar/2026.yaml\n")
    }

    @Test func commitSignaturesAreClassifiedOnce() throws {
        let f = try Fixture()
        let keys = [f.key.publicKey.fingerprint: f.key.publicKey]
        let signed = try f.commit(.node("edu1", jurisdiction: "edu"), parent: nil, "x\n")
        let who = CommitAuthor.node("edu1", jurisdiction: "edu").signature(at: f.time)
        let unsigned = try f.git.createCommit(tree: f.tree, parent: nil, author: who, committer: who, message: "x\n", sign: nil)
        #expect(try CommitSignatureVerdict.of(unsigned, in: f.git, keys: keys).check(commit: "c").isMissing)
        guard case .verified(let verified) = try CommitSignatureVerdict.of(signed, in: f.git, keys: keys) else {
            Issue.record("a commit signed by a listed key is verified"); return
        }
        #expect(verified.keyID == f.key.publicKey.fingerprint)
        // Signed by a key the policy does not list.
        let other = SigningKey.generate()
        guard case .unknownKey(let fingerprint) = try CommitSignatureVerdict.of(signed, in: f.git, keys: [other.publicKey.fingerprint: other.publicKey]) else {
            Issue.record("an unlisted key is an unknown key"); return
        }
        #expect(fingerprint == f.key.publicKey.fingerprint)
        #expect(CommitSignatureVerdict.unknownKey(fingerprint).check(commit: "c").failure?.id == .ruleCommitSigner)
        // The signature over other bytes.
        let (armored, data) = try #require(try f.git.commitSignature(signed))
        guard case .bad = CommitSignatureVerdict.classify((armored, data + Data("!".utf8)), keys: keys) else {
            Issue.record("a signature over other bytes is bad"); return
        }
        #expect(CommitSignatureVerdict.bad.check(commit: "c").failure?.id == .ruleCommitBadSignature)
    }

    @Test func aRefThatMovedIsReportedAsSuch() throws {
        let f = try Fixture()
        let first = try f.commit(.node("edu1", jurisdiction: "edu"), parent: nil, "one\n")
        let second = try f.commit(.node("edu1", jurisdiction: "edu"), parent: first, "two\n")
        try f.git.moveReference("refs/heads/main", to: first, expected: nil, message: "test")
        // Someone else's expectation: main was absent, or at `second`.
        for expected in [nil, second] {
            do {
                try f.git.moveReference("refs/heads/main", to: second, expected: expected, message: "test")
                Issue.record("moved main from \(String(describing: expected))")
            } catch let error as CaseError {
                #expect(error.message.id == .repoRefMoved)
                #expect(error.status == .conflict)
            }
        }
        #expect(try f.git.reference("refs/heads/main") == first)
        try f.git.moveReference("refs/heads/main", to: second, expected: first, message: "test")
        #expect(try f.git.reference("refs/heads/main") == second)
    }
}

private extension SignatureCheck {
    var isVerified: Bool { if case .verified = self { true } else { false } }
    var isMissing: Bool { if case .missing = self { true } else { false } }
    var failure: Message? { if case .failed(let message) = self { message } else { nil } }
}
