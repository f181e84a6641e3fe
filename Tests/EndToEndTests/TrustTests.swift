import Foundation
import Testing
import TestSupport

/// Changes of protected files: the threshold of the previous policy's admins, each
/// counted once; the policy version rises by one; never a rollback.
@Suite struct TrustTests {
    /// A non-bare repository whose policy has two admins and threshold 2.
    private func repository() throws -> Workspace {
        let w = try Workspace()
        for name in ["kim.admin", "new.admin"] {
            let made = try w.webjcase(["keys", "new", name])
            guard made.status == 0 else { throw WorkspaceError(made) }
        }
        try w.directory.write("policy.yaml", policy(version: 1, admins: ["lin.admin", "kim.admin"], w))
        try w.initRepository("edu", bare: false)
        return w
    }

    private func policy(version: Int, admins: [String], threshold: Int = 2, _ w: Workspace) -> String {
        var text = """
        kind: "policy"
        version: \(version)
        mode: "test"
        threshold: \(threshold)
        identities:
          - {name: "edu1", key: "\(w.publicKey("edu1"))", roles: ["agency-node"], jurisdiction: "edu"}
          - {name: "chen.clerk", key: "\(w.publicKey("chen.clerk"))", roles: ["clerk"], jurisdiction: "edu"}

        """
        for admin in admins {
            text += "  - {name: \"\(admin)\", key: \"\(w.publicKey(admin))\", roles: [\"admin\"]}\n"
        }
        return text
    }

    private func propose(_ w: Workspace, _ text: String) throws {
        try w.directory.write("edu/trust/policy.yaml", text)
        try? FileManager.default.removeItem(atPath: w.directory.file("edu/trust/policy.yaml.sig"))
    }

    private func sign(_ w: Workspace, _ key: String, _ path: String = "trust/policy.yaml") throws -> RunResult {
        try w.webjcase(["trust", "sign", path, "--key", key, "--repo", "edu"])
    }

    @Test func aPolicyChangeSignedByTheThresholdIsCommitted() throws {
        let w = try repository()
        try propose(w, policy(version: 2, admins: ["lin.admin", "kim.admin", "new.admin"], w))
        let first = try sign(w, "lin.admin")
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.contains("signed by 1 admin(s) (lin.admin) of the 2 that policy version 1 requires"), "\(first)")
        #expect(try w.webjcase(["trust", "verify", "trust/policy.yaml", "--repo", "edu"]).status == 1, "not enough yet")
        #expect(try sign(w, "kim.admin").status == 0)
        let verify = try w.webjcase(["trust", "verify", "trust/policy.yaml", "--repo", "edu"])
        #expect(verify.status == 0, "\(verify)")
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status == 0, "\(commit)")
        #expect(try w.webjcase(["trust", "show", "--repo", "edu"]).stdout.hasPrefix("policy 2 "))
        #expect(try w.git(["-C", "edu", "status", "--porcelain"]).stdout.isEmpty)
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
        // Stock git still verifies every commit with the allowed-signers file.
        let allowed = try w.webjcase(["trust", "allowed-signers", "--repo", "edu"])
        try w.directory.write("allowed_signers", allowed.stdout)
        let log = try w.git(["-C", "edu", "-c", "gpg.ssh.allowedSignersFile=\(w.directory.file("allowed_signers"))", "log", "--format=%G?"])
        #expect(log.stdout == "G\nG\n", "\(log)")
    }

    @Test func oneAdminSigningTwiceCountsOnce() throws {
        let w = try repository()
        try propose(w, policy(version: 2, admins: ["lin.admin"], threshold: 1, w))
        #expect(try sign(w, "lin.admin").status == 0)
        let again = try sign(w, "lin.admin")
        #expect(again.status == 1, "\(again)")
        let before = try w.refs("edu")
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status == 1, "\(commit)")
        #expect(commit.stderr.contains("[A-THRESHOLD]"), "\(commit)")
        #expect(try w.refs("edu") == before)
    }

    @Test func aPolicySignedOnlyByNewKeysIsRefused() throws {
        let w = try repository()
        try propose(w, policy(version: 2, admins: ["new.admin"], threshold: 1, w))
        let signed = try sign(w, "new.admin")
        #expect(signed.stderr.contains("signed by 0 admin(s)"), "\(signed)")
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status == 1)
        #expect(commit.stderr.contains("[A-THRESHOLD]"), "\(commit)")
    }

    @Test func aRollbackOrASkippedVersionIsRefused() throws {
        let w = try repository()
        for version in [1, 3] {
            try propose(w, policy(version: version, admins: ["lin.admin", "kim.admin"], threshold: 1, w))
            #expect(try sign(w, "lin.admin").status == 0)
            #expect(try sign(w, "kim.admin").status == 0)
            let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
            #expect(commit.status == 1, "\(commit)")
            #expect(commit.stderr.contains("[A-POLICY-VERSION]"), "\(commit)")
            #expect(commit.stderr.contains("the next must be 2"), "\(commit)")
        }
    }

    @Test func aSignatureMadeForAnotherFileDoesNotCount() throws {
        let w = try repository()
        let calendar = try String(contentsOfFile: w.directory.file("edu/calendar/2027.yaml"), encoding: .utf8)
        try w.directory.write("edu/calendar/2028.yaml", calendar.replacingOccurrences(of: "year: 2027", with: "year: 2028"))
        try w.directory.write("edu/calendar/2027.yaml", calendar + "# reviewed\n")
        #expect(try sign(w, "lin.admin", "calendar/2027.yaml").status == 0)
        #expect(try sign(w, "kim.admin", "calendar/2027.yaml").status == 0)
        // The 2027 signatures copied onto the 2028 file: the path is part of what was signed.
        try FileManager.default.copyItem(atPath: w.directory.file("edu/calendar/2027.yaml.sig"), toPath: w.directory.file("edu/calendar/2028.yaml.sig"))
        let moved = try w.webjcase(["trust", "verify", "calendar/2028.yaml", "--repo", "edu"])
        #expect(moved.status == 1, "\(moved)")
        let commit = try w.webjcase(["trust", "commit", "calendar/2027.yaml", "--repo", "edu"])
        #expect(commit.status == 0, "\(commit)")
    }

    @Test func aCalendarWhoseYearDoesNotMatchItsPathIsRefused() throws {
        let w = try repository()
        let calendar = try String(contentsOfFile: w.directory.file("edu/calendar/2027.yaml"), encoding: .utf8)
        try w.directory.write("edu/calendar/2028.yaml", calendar)
        #expect(try sign(w, "lin.admin", "calendar/2028.yaml").status == 0)
        #expect(try sign(w, "kim.admin", "calendar/2028.yaml").status == 0)
        let commit = try w.webjcase(["trust", "commit", "calendar/2028.yaml", "--repo", "edu"])
        #expect(commit.status == 1, "\(commit)")
        #expect(commit.stderr.contains("calendar/2028.yaml says year 2027"), "\(commit)")
    }

    @Test func aRevokedKeySignsNothingMoreAndVerifyReportsItsPastSteps() throws {
        let w = try repository()
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]).status == 0)
        let revoked = policy(version: 2, admins: ["lin.admin", "kim.admin"], w).replacingOccurrences(
            of: "roles: [\"clerk\"], jurisdiction: \"edu\"}",
            with: "roles: [\"clerk\"], jurisdiction: \"edu\", revoked: {at: \"2026-03-02T10:00:00+08:00\", reason: \"card lost\"}}")
        try propose(w, revoked)
        #expect(try sign(w, "lin.admin").status == 0)
        #expect(try sign(w, "kim.admin").status == 0)
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status == 0, "\(commit)")
        let step = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(step.status == 1, "\(step)")
        #expect(step.stderr.contains("whose key was revoked at 2026-03-02T10:00:00+08:00 (card lost)"), "\(step)")
        let verify = try w.webjcase(["verify", "--repo", "edu"])
        #expect(verify.status == 0, "history is kept: \(verify)")
        #expect(verify.stderr.contains("[S-REVOKED]"), "\(verify)")
    }

    @Test func anOldSignedVersionCannotBePutBack() throws {
        let w = try repository()
        let original = try String(contentsOfFile: w.directory.file("edu/calendar/2027.yaml"), encoding: .utf8)
        var saved: [(String, Data)] = []
        for note in ["# first revision\n", "# second revision\n"] {
            try w.directory.write("edu/calendar/2027.yaml", original + note)
            #expect(try sign(w, "lin.admin", "calendar/2027.yaml").status == 0)
            #expect(try sign(w, "kim.admin", "calendar/2027.yaml").status == 0)
            saved.append((original + note, try Data(contentsOf: URL(fileURLWithPath: w.directory.file("edu/calendar/2027.yaml.sig")))))
            let commit = try w.webjcase(["trust", "commit", "calendar/2027.yaml", "--repo", "edu"])
            #expect(commit.status == 0, "\(commit)")
        }
        // The first revision with its own, once valid, signatures.
        try w.directory.write("edu/calendar/2027.yaml", saved[0].0)
        try saved[0].1.write(to: URL(fileURLWithPath: w.directory.file("edu/calendar/2027.yaml.sig")))
        let replay = try w.webjcase(["trust", "commit", "calendar/2027.yaml", "--repo", "edu"])
        #expect(replay.status == 1, "\(replay)")
        #expect(replay.stderr.contains("[A-THRESHOLD]"), "\(replay)")
    }

    @Test func aSignatureFileChangedAloneNeedsTheThresholdToo() throws {
        let w = try repository()
        // Only the node signs: a .sig with no admin signature at all.
        let envelope = try w.webjcase(["sign", "edu/calendar/2027.yaml", "--key", "chen.clerk"])
        #expect(envelope.status == 0)
        let commit = try w.webjcase(["trust", "commit", "calendar/2027.yaml", "--repo", "edu"])
        #expect(commit.status == 1, "\(commit)")
        #expect(commit.stderr.contains("[A-THRESHOLD]"), "\(commit)")
    }

    @Test func aPolicyWithoutANodeForThisRepositoryIsRefused() throws {
        let w = try repository()
        let withoutNodes = policy(version: 2, admins: ["lin.admin", "kim.admin"], w)
            .replacingOccurrences(of: "roles: [\"agency-node\"], jurisdiction: \"edu\"", with: "roles: [\"agency-node\"], jurisdiction: \"social\"")
        try propose(w, withoutNodes)
        #expect(try sign(w, "lin.admin").status == 0)
        #expect(try sign(w, "kim.admin").status == 0)
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status == 1, "\(commit)")
        #expect(commit.stderr.contains("[A-POLICY-NODES]"), "\(commit)")
    }

    /// A new `.sig` over the policy in force, with no new policy, is not a new version: it
    /// was refused as A-POLICY-VERSION ("the next must be 2"), which sent the admins to
    /// write a policy nobody asked for. The threshold alone judges it.
    @Test func aSignatureOfThePolicyInForceAloneIsJudgedByTheThreshold() throws {
        let w = try repository()
        #expect(try sign(w, "chen.clerk").status == 0, "anyone can sign; what counts is who")
        let clerkOnly = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(clerkOnly.status == 1, "\(clerkOnly)")
        #expect(clerkOnly.stderr.contains("[A-THRESHOLD]") && !clerkOnly.stderr.contains("A-POLICY-VERSION"), "\(clerkOnly)")
        try? FileManager.default.removeItem(atPath: w.directory.file("edu/trust/policy.yaml.sig"))
        #expect(try sign(w, "lin.admin").status == 0)
        #expect(try sign(w, "kim.admin").status == 0)
        let admins = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(admins.status == 0, "the threshold signed the policy in force again: \(admins)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
    }
}
