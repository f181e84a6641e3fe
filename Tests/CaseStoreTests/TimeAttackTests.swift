import Foundation
import Testing
import CaseModel
import CaseSigning
import GitKit
import TestSupport
@testable import CaseStore

/// Attacks on time that `webjcase step` itself would never make, so they are forged here
/// with the library (as a node's owner with a staff member's key could) and pushed with
/// stock git to a hub made by `webjcase init --bare`, whose pre-receive hook is the real
/// binary: each is refused with its rule id and the hub's refs do not move.
@Suite struct TimeAttackTests {
    /// A step signed and committed properly, but dated before the step it follows.
    @Test func aStepDatedBeforeItsPredecessorIsRefusedByTheHub() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        #expect(try w.git(["clone", "-q", "--bare", "hub.git", "node.git"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
        // Each step pushed when it is made (the hub judges a commit's time against its clock).
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "node.git"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "push", "-q", w.directory.file("hub.git"), "main"], environment: ["WEBJCASE_NOW": w.now]).status == 0)
        w.now = "2026-03-02T10:30:00+08:00"
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "node.git"]).status == 0)
        #expect(try w.git(["--git-dir", "node.git", "push", "-q", w.directory.file("hub.git"), "main"], environment: ["WEBJCASE_NOW": w.now]).status == 0)
        let pushTime = "2026-03-02T10:32:00+08:00"
        let before = try w.refs("hub.git")

        // The reviewer's forward, dated 10:15, after a submission dated 10:30.
        let git = try Repository(path: w.directory.file("node.git"))
        let head = try #require(try git.reference(CaseRepository.mainRef))
        let id = try #require(CaseID("REG-2026-edu1-0001"))
        let reviewer = try SigningKey.load(path: w.directory.file("wang.reviewer"))
        let node = try SigningKey.load(path: w.directory.file("edu1"))
        let state = try #require(try Snapshot(git: git, commit: head).caseState(id))
        let step = StepDocument(case: id, sequence: 3, action: .initialForward, at: try #require(Timestamp("2026-03-02T10:15:00+08:00")),
                                actor: reviewer.publicKey.fingerprint, previous: state.lastDigest,
                                data: .forward(try StrictYAML.decode(StepData.Remark.self, from: Data("note: \"Forwarded.\"".utf8), file: "forward")))
        let (path, bytes, envelope) = try StepComposer.files(step, key: StepSigner(reviewer))
        let tree = try git.buildTree(base: try git.commit(head).tree, changes: [
            .set(path: path, id: try git.writeBlob(bytes), mode: .blob), .set(path: path + ".sig", id: try git.writeBlob(envelope), mode: .blob)])
        let who = StepComposer.committer(node: "edu1", jurisdiction: "edu", time: try #require(Timestamp("2026-03-02T10:31:00+08:00")).date)
        let commit = try git.createCommit(tree: tree, parent: head, author: who, committer: who,
                                          message: StepComposer.message(step, actorName: "wang.reviewer", fingerprint: reviewer.publicKey.fingerprint)) {
            try SSHSignature.sign($0, namespace: "git", key: node)
        }
        try git.updateReference(CaseRepository.mainRef, to: commit, expected: head, message: "forged")

        let push = try w.git(["--git-dir", "node.git", "push", w.directory.file("hub.git"), "main"], environment: ["WEBJCASE_NOW": pushTime])
        #expect(push.status != 0, "\(push)")
        #expect(push.stderr.contains("[S-TIME-ORDER]"), "\(push)")
        #expect(!push.stderr.contains("[S-SIGNATURE]") && !push.stderr.contains("[S-COMMIT-SIGNATURE]"), "only the date is wrong: \(push)")
        #expect(try w.refs("hub.git") == before)
    }
}
