import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
import GitKit
import TestSupport
@testable import CaseStore

/// `verify` checks signatures ahead on every core (HistoryPrefetch) while it replays the
/// history in order, carrying case states from step to step: its findings must be exactly
/// those of the validator alone reading each commit afresh, for good signatures, forged
/// ones hidden in the history, and paths the rules refuse.
@Suite struct HistoryPrefetchTests {
    @Test func theBatchAgreesWithTheValidatorOnGoodAndForgedSignatures() throws {
        let w = try Workspace()
        try w.initRepository()
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"]).status == 0)
        w.now = "2026-03-02T10:30:00+08:00"
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"]).status == 0)

        // Forged history, written straight into git: a step signed by an outsider, a
        // commit signed by an unknown node key, a commit whose signature is damaged, an
        // unsigned commit.
        let git = try Repository(path: w.directory.file("edu.git"))
        let node = try SigningKey.load(path: w.directory.file("edu1"))
        let outsider = try SigningKey.load(path: w.directory.file("outsider"))
        let clerk = try SigningKey.load(path: w.directory.file("chen.clerk"))
        let repository = try CaseRepository(path: w.directory.file("edu.git"))
        var head = try #require(try git.reference(CaseRepository.mainRef))
        var time = Timestamp("2026-03-03T09:00:00+08:00")!.date
        let id = try #require(CaseID("REG-2026-edu1-0001"))
        var previous = try repository.dossiers([id], now: time)[0].entries.count
        var lastDigest = try Snapshot(git: git, commit: head).caseState(id)!.lastDigest
        func forge(signer: SigningKey, committer: SigningKey?, damage: Bool = false, beside extra: [String] = [],
                   outside: [String] = []) throws {
            previous += 1
            time += 3_600
            let step = StepDocument(case: id, sequence: previous, action: .initialForward, at: Timestamp(time),
                                    actor: signer.publicKey.fingerprint, previous: lastDigest, data: .forward(try StrictYAML.decode(
                                        StepData.Remark.self, from: Data("note: \"Forwarded.\"".utf8), file: "forward")))
            let (path, bytes, envelope) = try StepComposer.files(step, key: StepSigner(signer))
            lastDigest = Digest.prefixed(bytes)
            let tree = try git.buildTree(base: try git.commit(head).tree, changes: [
                .set(path: path, id: try git.writeBlob(bytes), mode: .blob), .set(path: path + ".sig", id: try git.writeBlob(envelope), mode: .blob)]
                + extra.map { .set(path: id.directory + "/" + $0, id: try git.writeBlob(Data("x\n".utf8)), mode: .blob) }
                + outside.map { .set(path: $0, id: try git.writeBlob(Data("x\n".utf8)), mode: .blob) })
            let who = StepComposer.committer(node: "edu1", jurisdiction: "edu", time: time)
            let sign: ((Data) throws -> String)? = committer.map { key in
                { buffer in
                    let armored = try SSHSignature.sign(buffer, namespace: "git", key: key)
                    return damage ? armored.replacingOccurrences(of: "A", with: "B", options: [], range: armored.range(of: "A", options: .backwards)) : armored
                }
            }
            let commit = try git.createCommit(tree: tree, parent: head, author: who, committer: who,
                                              message: StepComposer.message(step, actorName: "x", fingerprint: signer.publicKey.fingerprint), sign: sign)
            try git.updateReference(CaseRepository.mainRef, to: commit, expected: head, message: "forged")
            head = commit
        }
        try forge(signer: outsider, committer: node)
        try forge(signer: clerk, committer: outsider)
        try forge(signer: clerk, committer: node, damage: true)
        try forge(signer: clerk, committer: nil)
        // A step with a file one level deeper than the rules allow, then one whose file
        // collides with that directory by case: the state a replay carries from step to
        // step must be the one read from the tree (the collision is seen either way).
        try forge(signer: clerk, committer: node, beside: ["steps/Extra/x.txt"])
        try forge(signer: clerk, committer: node, beside: ["steps/extra"])
        // A step beside a change of the trust and the calendars, then one beside nothing:
        // what the batch looked up in the second's tree must be that tree's, not the first's.
        try forge(signer: clerk, committer: node, outside: ["trust/crl/extra.crl", "trust/roots/extra.pem", "README.txt"])
        try forge(signer: clerk, committer: node)

        let commits = try git.walk(from: [head], oldestFirst: true).dropFirst()
        var alone = CommitValidator(git: git, mode: .history(.init()))
        var batched = CommitValidator(git: git, mode: .history(.init()))
        batched.use(batch: HistoryPrefetch.check(gitDirectory: git.gitDirectory, commits: Array(commits)))
        #expect(batched.batch?.commits.count == commits.count)
        for (key, entry) in batched.batch?.entries ?? [:] {
            #expect(entry == (try git.entry(at: key.path, inTree: key.tree)), "\(key.path) in \(key.tree.hex.prefix(12))")
        }
        var rules: [String] = []
        for commit in commits {
            alone.cache = SnapshotCache()
            let expected = try alone.validate(commit).findings
            let found = try batched.validate(commit).findings
            #expect(found == expected, "\(commit.hex.prefix(12)): \(found) vs \(expected)")
            rules += found.map(\.rule)
        }
        // The forgeries were seen (not merely equal).
        #expect(rules.contains("S-SIGNATURE"), "\(rules)")
        #expect(rules.filter { $0 == "S-COMMIT-SIGNATURE" }.count >= 3, "\(rules)")
        #expect(rules.contains("S-NAME"), "\(rules)")
        let verified = try repository.verifyHistory()
        #expect(verified.verdict.refusals.count >= 4, "\(verified.verdict.findings)")
    }
}
