import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
import GitKit
import TestSupport
@testable import CaseStore

/// Attacks that `webjcase step` itself would never make, so they are forged here with the
/// library (as a node's owner with a staff member's key could) and pushed with stock git to
/// a hub made by `webjcase init --bare`, whose pre-receive hook is the real binary: each is
/// refused with its rule id and the hub's refs do not move.
@Suite struct TimeAttackTests {
    /// A step signed and committed properly, but dated before the step it follows.
    @Test func aStepDatedBeforeItsPredecessorIsRefusedByTheHub() throws {
        let w = try Workspace()
        try ForgingNode.start(w)
        // Each step pushed when it is made (the hub judges a commit's time against its clock).
        try ForgingNode.record(w, ["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"])
        w.now = "2026-03-02T10:30:00+08:00"
        try ForgingNode.record(w, ["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk"])
        let before = try w.refs("hub.git")

        // The reviewer's forward, dated 10:15, after a submission dated 10:30.
        let node = try ForgingNode(w)
        let id = try #require(CaseID("REG-2026-edu1-0001"))
        try node.commit(id, sequence: 3, action: .initialForward, at: "2026-03-02T10:15:00+08:00", signer: "wang.reviewer",
                        data: .forward(try StrictYAML.decode(StepData.Remark.self, from: Data("note: \"Forwarded.\"".utf8), file: "forward")),
                        committedAt: "2026-03-02T10:31:00+08:00")

        let push = try node.push(at: "2026-03-02T10:32:00+08:00")
        #expect(push.status != 0, "\(push)")
        let rules = ForgingNode.rules(push)
        #expect(rules.contains("S-TIME-ORDER"), "\(push)")
        #expect(rules.isDisjoint(with: ["S-SIGNATURE", "S-COMMIT-SIGNATURE", "S-SIGNER"]), "the signatures are good: \(push)")
        #expect(try w.refs("hub.git") == before)
    }

    /// DESIGN §2: a document's digest binds it to one case. The clerk's properly signed
    /// submission of a second case of the organization lists the scans of the first case's
    /// annexes (the same bytes, copied beside it): the hub finds them in the first case.
    @Test func anApplicantDocumentReplayedIntoASecondCaseIsRefusedByTheHub() throws {
        let w = try Workspace()
        try ForgingNode.start(w)
        try w.directory.write("withdraw.yaml", "letter: {number: \"南市例字第1150000130號\", date: 2026-03-02}\n")
        try ForgingNode.openAndSubmit(w)
        w.now = "2026-03-02T10:20:00+08:00"
        try ForgingNode.record(w, ["step", "REG-2026-edu1-0001", "withdraw", "--data", "withdraw.yaml", "--key", "chen.clerk"])
        w.now = "2026-03-02T10:30:00+08:00"
        try ForgingNode.record(w, ["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"])
        // The same scans, attached again through the command, are refused on the node itself.
        w.now = "2026-03-02T10:40:00+08:00"
        let honest = try w.webjcase(["step", "REG-2026-edu1-0002", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk",
                                     "--repo", "node.git"] + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] })
        #expect(honest.status == 1 && honest.stderr.contains("[P4-DOCUMENT-ONCE]"), "\(honest)")
        let before = try w.refs("hub.git")

        // Forged past the node's check: case 2's submission names case 1's scans.
        let node = try ForgingNode(w)
        let first = try #require(CaseID("REG-2026-edu1-0001")), second = try #require(CaseID("REG-2026-edu1-0002"))
        var submit = StepData.Submit(letter: try StrictYAML.decode(LetterReference.self, from: Data("{number: \"南市例字第1150000140號\", date: 2026-03-02}".utf8),
                                                                     file: "letter"))
        var copies: [(String, ObjectID)] = []
        var attachments: [AttachmentReference] = []
        submit.documents = try (1...5).map { annex in
            let file = "attachments/annex-\(annex).pdf"
            let blob = try #require(try node.git.entry(at: "\(first.directory)/\(file)", inTree: try node.git.commit(node.head).tree)).id
            let bytes = try node.git.blob(blob)
            copies.append(("\(second.directory)/\(file)", blob))
            attachments.append(AttachmentReference(name: "annex-\(annex).pdf", sha256: Digest.sha256Hex(bytes), size: bytes.count))
            return ReceivedDocument(annex: annex, file: file, sha256: Digest.sha256Hex(bytes))
        }
        try node.commit(second, sequence: 2, action: .submit, at: "2026-03-02T10:40:00+08:00", signer: "chen.clerk",
                        data: .submit(submit), attachments: attachments, files: copies, committedAt: "2026-03-02T10:40:00+08:00")

        let push = try node.push(at: "2026-03-02T10:41:00+08:00")
        #expect(push.status != 0, "\(push)")
        #expect(ForgingNode.rules(push) == ["P4-DOCUMENT-ONCE"], "only the replay is wrong: \(push)")
        #expect(push.stderr.contains("REG-2026-edu1-0001"), "the refusal names the case the documents belong to: \(push)")
        #expect(try w.refs("hub.git") == before)
    }

    /// A claim may move a step in its own case, never around another case's rule: a
    /// registration of an organization that was approved at 10:00, claimed at 09:00 (within
    /// the three days a claim may precede its receipt) and pushed at 10:06, was judged as the
    /// organization stood at the claim (no user yet) and accepted. The hub judges it as it
    /// saw the organization when the step arrived: active, so P5-STATUS.
    @Test func aRegistrationClaimedBeforeAnApprovalItReachesTheHubAfterIsRefused() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["keys", "new", "lee.centre"]).status == 0)
        let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
        try w.directory.write("policy.yaml", policy + "  - {name: \"lee.centre\", key: \"\(w.publicKey("lee.centre"))\", roles: [\"centre-reviewer\"]}\n")
        try ForgingNode.start(w)
        try w.directory.write("approve.yaml", "note: \"Approved.\"\n")
        try ForgingNode.openAndSubmit(w)
        w.now = "2026-03-03T09:30:00+08:00"
        try ForgingNode.record(w, ["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"])
        w.now = "2026-03-03T10:00:00+08:00"
        try ForgingNode.record(w, ["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"])
        #expect(try w.webjcase(["org", "12345678", "--repo", "node.git"]).stdout.contains("active"))
        let before = try w.refs("hub.git")

        // The second registration's opening, claimed an hour before the approval.
        let node = try ForgingNode(w)
        let id = try #require(CaseID("REG-2026-edu1-0002"))
        let caseBytes = try DocumentWriter.yaml(CaseFile(id: id, organization: "12345678", jurisdiction: "edu", node: "edu1"))
        let clerk = try SigningKey.load(path: w.directory.file("chen.clerk"))
        let open = try StrictYAML.decode(StepData.Open.self, from: try Data(contentsOf: URL(fileURLWithPath: w.directory.file("open.yaml"))), file: "open.yaml")
        let step = StepDocument(case: id, sequence: 1, action: .open, at: try #require(Timestamp("2026-03-03T09:00:00+08:00")),
                                actor: clerk.publicKey.fingerprint, previous: Digest.prefixed(caseBytes), data: .open(open))
        let (path, bytes, envelope) = try StepComposer.files(step, key: StepSigner(clerk))
        let tree = try node.git.buildTree(base: try node.git.commit(node.head).tree, changes: [
            .set(path: id.directory + "/case.yaml", id: try node.git.writeBlob(caseBytes), mode: .blob),
            .set(path: path, id: try node.git.writeBlob(bytes), mode: .blob),
            .set(path: path + ".sig", id: try node.git.writeBlob(envelope), mode: .blob),
        ])
        let who = StepComposer.committer(node: "edu1", jurisdiction: "edu", time: try #require(Timestamp("2026-03-03T10:05:00+08:00")).date)
        let edu1 = try SigningKey.load(path: w.directory.file("edu1"))
        let commit = try node.git.createCommit(tree: tree, parent: node.head, author: who, committer: who,
                                               message: StepComposer.message(step, actorName: "chen.clerk", fingerprint: clerk.publicKey.fingerprint)) {
            try SSHSignature.sign($0, namespace: "git", key: edu1)
        }
        try node.git.updateReference(CaseRepository.mainRef, to: commit, expected: node.head, message: "forged")

        let push = try node.push(at: "2026-03-03T10:06:00+08:00")
        #expect(push.status != 0, "\(push)")
        #expect(ForgingNode.rules(push) == ["P5-STATUS"], "only the organization's status is wrong: \(push)")
        #expect(push.stderr.contains("active"), "\(push)")
        #expect(try w.refs("hub.git") == before)
    }
}

/// A node `node.git` (edu1) of the workspace's hub `hub.git`, with the means to commit a
/// step made with the library and push it with stock git.
struct ForgingNode {
    let w: Workspace
    let git: Repository
    let head: ObjectID

    /// The hub, and node edu1's clone of it.
    static func start(_ w: Workspace) throws {
        try w.initRepository("hub.git", bare: true)
        #expect(try w.git(["clone", "-q", "--bare", "hub.git", "node.git"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
    }

    /// `webjcase ARGUMENTS` on the node at the workspace's time, then a push to the hub at that time.
    static func record(_ w: Workspace, _ arguments: [String]) throws {
        let made = try w.webjcase(arguments + ["--repo", "node.git"])
        guard made.status == 0 else { throw WorkspaceError(made) }
        let pushed = try w.git(["--git-dir", "node.git", "push", "-q", w.directory.file("hub.git"), "main"], environment: ["WEBJCASE_NOW": w.now])
        guard pushed.status == 0 else { throw WorkspaceError(pushed) }
    }

    /// REG-2026-edu1-0001 of organization 12345678 opened, then submitted at 10:10 with
    /// scans of Annex 1 to 5 (`annex-N.pdf`), each pushed when made.
    static func openAndSubmit(_ w: Workspace) throws {
        for annex in 1...5 {
            try w.directory.write("annex-\(annex).pdf", "%PDF-1.4\n% annex \(annex) of the Example Association\n%%EOF\n")
        }
        try w.directory.write("submit-annexes.yaml", "letter: {number: \"南市例字第1150000123號\", date: 2026-02-27}\ndocuments:\n"
            + (1...5).map { "  - {annex: \($0), file: \"attachments/annex-\($0).pdf\"}\n" }.joined())
        try record(w, ["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"])
        w.now = "2026-03-02T10:10:00+08:00"
        try record(w, ["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                   + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] })
    }

    /// The rule ids of the hub's refusal (`remote: [RULE] …` lines).
    static func rules(_ push: RunResult) -> Set<String> {
        Set(push.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.range(of: "remote: ["), let close = line[open.upperBound...].firstIndex(of: "]") else { return nil }
            return String(line[open.upperBound..<close])
        })
    }

    init(_ w: Workspace) throws {
        self.w = w
        git = try Repository(path: w.directory.file("node.git"))
        head = try #require(try git.reference(CaseRepository.mainRef))
    }

    /// Commits step `sequence` of `id`, signed by `signer`, listing `attachments`, with
    /// `files` (path, blob) beside it, in a commit signed by the node at `committedAt`;
    /// `main` moves to it.
    func commit(_ id: CaseID, sequence: Int, action: Action, at time: String, signer: String, data: StepData,
                attachments: [AttachmentReference] = [], files: [(String, ObjectID)] = [], committedAt: String) throws {
        let key = try SigningKey.load(path: w.directory.file(signer))
        let node = try SigningKey.load(path: w.directory.file("edu1"))
        let state = try #require(try Snapshot(git: git, commit: head).caseState(id))
        let step = StepDocument(case: id, sequence: sequence, action: action, at: try #require(Timestamp(time)),
                                actor: key.publicKey.fingerprint, previous: state.lastDigest, data: data, attachments: attachments)
        let (path, bytes, envelope) = try StepComposer.files(step, key: StepSigner(key))
        let tree = try git.buildTree(base: try git.commit(head).tree, changes: [
            .set(path: path, id: try git.writeBlob(bytes), mode: .blob), .set(path: path + ".sig", id: try git.writeBlob(envelope), mode: .blob),
        ] + files.map { .set(path: $0.0, id: $0.1, mode: .blob) })
        let who = StepComposer.committer(node: "edu1", jurisdiction: "edu", time: try #require(Timestamp(committedAt)).date)
        let commit = try git.createCommit(tree: tree, parent: head, author: who, committer: who,
                                          message: StepComposer.message(step, actorName: signer, fingerprint: key.publicKey.fingerprint)) {
            try SSHSignature.sign($0, namespace: "git", key: node)
        }
        try git.updateReference(CaseRepository.mainRef, to: commit, expected: head, message: "forged")
    }

    /// Stock git pushes `main` to the hub, whose hook runs at `time`.
    func push(at time: String) throws -> RunResult {
        try w.git(["--git-dir", "node.git", "push", w.directory.file("hub.git"), "main"], environment: ["WEBJCASE_NOW": time])
    }
}
