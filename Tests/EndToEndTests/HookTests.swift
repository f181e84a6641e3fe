import Foundation
import Testing
import TestSupport

/// The hooks `init` installs, run by stock git's receive-pack and commit.
@Suite struct HookTests {
    /// A bare "hub" made by init, and a plain git clone of it.
    private func hubAndClone() throws -> Workspace {
        let w = try Workspace()
        try w.initRepository("hub.git")
        #expect(try w.git(["clone", "-q", "hub.git", "work"]).status == 0)
        return w
    }

    @Test func preReceiveRefusesAnUnsignedCommitAndAModifiedFile() throws {
        let w = try hubAndClone()
        let before = try w.refs("hub.git")
        try w.directory.write("work/webjcase.yaml", "kind: \"repository\"\n")
        #expect(try w.git(["-C", "work", "commit", "-qam", "change the settings"]).status == 0)
        let push = try w.git(["-C", "work", "push", "origin", "main"])
        #expect(push.status != 0, "\(push)")
        #expect(push.stderr.contains("[S-COMMIT-SIGNATURE]"), "\(push)")
        #expect(push.stderr.contains("[A-THRESHOLD] webjcase.yaml changed without webjcase.yaml.sig"), "\(push)")
        #expect(try w.refs("hub.git") == before)
    }

    @Test func preReceiveRefusesOtherBranchesAndRewrites() throws {
        let w = try hubAndClone()
        let before = try w.refs("hub.git")
        let branch = try w.git(["-C", "work", "push", "origin", "main:refs/heads/other"])
        #expect(branch.status != 0)
        #expect(branch.stderr.contains("only refs/heads/main can be pushed"), "\(branch)")
        #expect(try w.git(["-C", "work", "commit", "-q", "--amend", "-m", "rewritten"]).status == 0)
        let rewrite = try w.git(["-C", "work", "push", "--force", "origin", "main"])
        #expect(rewrite.status != 0)
        #expect(rewrite.stderr.contains("not a fast-forward"), "\(rewrite)")
        #expect(try w.refs("hub.git") == before)
    }

    @Test func preReceiveAcceptsStepsRecordedByANode() throws {
        let w = try hubAndClone()
        // The clone becomes the node edu1 (what `webjcase clone` will write).
        #expect(try w.git(["-C", "work", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["-C", "work", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"]).status == 0)
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"]).status == 0)
        let push = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": w.now])
        #expect(push.status == 0, "\(push)")
        #expect(try w.git(["--git-dir", "hub.git", "rev-list", "--count", "main"]).stdout == "3\n")
        #expect(try w.webjcase(["verify", "--repo", "hub.git"]).status == 0)
    }

    @Test func preReceiveFindsABadStepInTheMiddleOfAPush() throws {
        let w = try hubAndClone()
        #expect(try w.git(["-C", "work", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["-C", "work", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"]).status == 0)
        // A plain, unsigned commit that touches the case, then a good step on top.
        try FileManager.default.createDirectory(atPath: w.directory.file("work/cases/2026/edu1/REG-2026-edu1-0001/documents"),
                                                withIntermediateDirectories: true)
        try w.directory.write("work/cases/2026/edu1/REG-2026-edu1-0001/documents/note.yaml", "kind: \"note\"\n")
        #expect(try w.git(["-C", "work", "add", "."]).status == 0)
        #expect(try w.git(["-C", "work", "commit", "-q", "--no-verify", "-m", "sneak"]).status == 0)
        let good = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
        #expect(good.status == 0, "a good step on top: \(good)")
        #expect(try w.git(["-C", "work", "rev-list", "--count", "main"]).stdout == "4\n")
        let before = try w.refs("hub.git")
        let push = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": w.now])
        #expect(push.status != 0)
        #expect(push.stderr.contains("[S-COMMIT-SIGNATURE]"), "\(push)")
        #expect(try w.refs("hub.git") == before)
    }

    @Test func preCommitRefusesASymlinkForPlainGitUsers() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/cases/2026/edu1/REG-2026-edu1-0001/steps"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: w.directory.file("edu/cases/2026/edu1/REG-2026-edu1-0001/steps/0001-open.yaml"),
                                                   withDestinationPath: "/etc/passwd")
        #expect(try w.git(["-C", "edu", "add", "."]).status == 0)
        let commit = try w.git(["-C", "edu", "commit", "-m", "symlink"])
        #expect(commit.status != 0, "\(commit)")
        #expect(commit.stderr.contains("[S-MODE]"), "\(commit)")
    }

    @Test func aSignatureFileWithoutItsFileIsRefused() throws {
        let w = try hubAndClone()
        let before = try w.refs("hub.git")
        try w.directory.write("work/calendar/2030.yaml.sig", "Name: someone, phone 0912-345-678\n")
        #expect(try w.git(["-C", "work", "add", "."]).status == 0)
        #expect(try w.git(["-C", "work", "commit", "-q", "--no-verify", "-m", "sneak"]).status == 0)
        let push = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": w.now])
        #expect(push.status != 0)
        #expect(push.stderr.contains("a signature without its file signs nothing"), "\(push)")
        #expect(try w.refs("hub.git") == before)
    }

    @Test func anObstacleInTheWorkTreeStopsTheStepBeforeAnythingMoves() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]).status == 0)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/cases/2026/edu1/REG-2026-edu1-0001/steps/0002-submit.yaml"),
                                                withIntermediateDirectories: true)
        let before = try w.refs("edu")
        let step = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(step.status == 2, "\(step)")
        #expect(step.stderr.contains("Nothing was committed"), "\(step)")
        #expect(try w.refs("edu") == before)
    }

    @Test func theHubRefusesStepsDatedAfterItsClockPlusTheTolerance() throws {
        let w = try hubAndClone()
        #expect(try w.git(["-C", "work", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["-C", "work", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"]).status == 0)
        let before = try w.refs("hub.git")
        // The node says 10:00; the hub's clock says 09:50 (tolerance 300 s in webjcase.yaml).
        let early = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": "2026-03-02T09:50:00+08:00"])
        #expect(early.status != 0, "\(early)")
        #expect(early.stderr.contains("[S-TIME-FUTURE]"), "\(early)")
        #expect(try w.refs("hub.git") == before)
        let onTime = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": "2026-03-02T09:57:00+08:00"])
        #expect(onTime.status == 0, "within the tolerance: \(onTime)")
    }
}
