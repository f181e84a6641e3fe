import Foundation
import Testing
import TestSupport

/// Crash consistency: commands killed with SIGKILL at random moments. After each kill every
/// ref holds its old or its new value, `git fsck --strict` passes, `verify` passes, nothing
/// half-written is left (no lock, no temporary file, a work tree that matches its commit or
/// is brought back to it by the next command), and the next command works.
///
/// `WEBJCASE_LONG=1` (`scripts/test --long`) kills each command 200 times; the default
/// suite 6 times. The seed is printed; `WEBJCASE_SEED=N` replays a run.
@Suite struct CrashTests {
    static let long = ProcessInfo.processInfo.environment["WEBJCASE_LONG"] == "1"
    static let rounds = long ? 200 : 6

    static func seed(_ what: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["WEBJCASE_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("CrashTests.\(what): seed \(seed) (WEBJCASE_SEED=\(seed) replays it), \(rounds) rounds")
        return seed
    }

    @Test func aStepKilledAtAnyMomentLeavesTheNodeWhole() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        var random = SeededGenerator(seed: Self.seed("step"))
        // How long an uninterrupted step takes: the kills fall anywhere within it.
        let started = Date()
        try openCase(w, organization: 10_000_000)
        let duration = Date().timeIntervalSince(started) * 1.2
        var killed = 0
        for round in 1...Self.rounds {
            let old = try head(w)
            let delay = Double.random(in: 0...duration, using: &random)
            let run = try runAndKill(webjcaseBinary, ["case", "open", "REG", "--org", String(10_000_000 + round), "--data", "open.yaml",
                                                     "--key", "chen.clerk", "--repo", "edu"],
                                     in: w.path, environment: ["WEBJCASE_NOW": w.now], after: delay)
            if run.killed { killed += 1 } else { #expect(run.status == 0, "round \(round): an uninterrupted step failed") }
            let new = try head(w)
            let context = "round \(round), killed after \(String(format: "%.3f", delay)) s"
            if new != old {
                #expect(try w.git(["-C", "edu", "rev-parse", "\(new)^"]).stdout.trimmed == old, "\(context): main is neither old nor new")
            }
            try expectConsistent(w, "edu", context)
            // The next command cleans up after the killed one, works, and leaves the work tree matching main.
            try openCase(w, organization: 20_000_000 + round)
            try expectNothingLeft(w, "edu", context)
            let status = try w.git(["-C", "edu", "status", "--porcelain", "--untracked-files=all"]).stdout
            #expect(status == "", "\(context): after the next step:\n\(status)")
        }
        print("CrashTests.step: \(killed) of \(Self.rounds) runs killed (a step takes about \(String(format: "%.3f", duration / 1.2)) s)")
    }

    /// A live holder of the write lock is waited for, then the command goes on; past the
    /// wait it is refused (exit 4) with nothing changed. A dead holder's lock is taken over.
    @Test func aLiveLockIsRespectedAndADeadOneTakenOver() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        let lock = w.gitDirectory("edu") + "/webjcase/lock"
        try FileManager.default.createDirectory(atPath: (lock as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let holder = open(lock, O_RDWR | O_CREAT, 0o644)
        #expect(holder >= 0)
        #expect(flock(holder, LOCK_EX) == 0)
        _ = "4242 1772416800 - step\n".withCString { pwrite(holder, $0, strlen($0), 0) }
        let before = try head(w)

        let refused = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"],
                                     environment: ["WEBJCASE_LOCK_WAIT": "0.3"])
        #expect(refused.status == 4, "\(refused)")
        #expect(refused.stderr.contains("Another webjcase command (step, pid 4242"), "\(refused)")
        #expect(try head(w) == before)

        // Let go while a command waits: it goes on.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            _ = ftruncate(holder, 0)
            close(holder)
        }
        let waited = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(waited.status == 0, "\(waited)")
        #expect(try head(w) != before)

        // A holder that died mid-command (its record left, its flock gone with it).
        let dead = open(lock, O_RDWR)
        _ = "4243 1772416800 - sync\n".withCString { pwrite(dead, $0, strlen($0), 0) }
        close(dead)
        let next = try w.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(next.status == 0, "\(next)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == "", "a finished command empties its record")
    }

    /// The hub's pre-receive hook killed at random moments: git refuses the push, the hub's
    /// refs stay where they were, and the next push (its hook whole) goes through.
    @Test func aHookKilledAtAnyMomentLeavesTheHubWhole() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        #expect(try w.git(["clone", "-q", "hub.git", "work"]).status == 0)
        #expect(try w.git(["-C", "work", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try w.git(["-C", "work", "config", "webjcase.key", w.directory.file("edu1")]).status == 0)
        let hook = w.directory.file("hub.git/hooks/pre-receive")
        try FileManager.default.moveItem(atPath: hook, toPath: hook + ".whole")
        func killHookAfter(_ seconds: Double) throws {
            try w.directory.write("hub.git/hooks/pre-receive", "#!/bin/sh\nexec timeout -s KILL \(String(format: "%.3f", seconds)) '\(hook).whole' \"$@\"\n")
            chmod(hook, 0o755)
        }
        func push() throws -> RunResult { try w.git(["-C", "work", "push", "-q", "origin", "main"], environment: ["WEBJCASE_NOW": w.now]) }
        var random = SeededGenerator(seed: Self.seed("hook"))
        try openCase(w, organization: 10_000_000, repository: "work")
        try killHookAfter(60)
        let started = Date()
        #expect(try push().status == 0)
        let duration = Date().timeIntervalSince(started) * 1.2
        var refused = 0
        for round in 1...Self.rounds {
            let old = try head(w, "hub.git")
            try openCase(w, organization: 10_000_000 + round, repository: "work")
            let delay = Double.random(in: 0...duration, using: &random)
            try killHookAfter(delay)
            let pushed = try push()
            let context = "round \(round), the hook killed after \(String(format: "%.3f", delay)) s"
            let new = try head(w, "hub.git")
            if pushed.status == 0 {
                #expect(new == (try head(w, "work")), "\(context): accepted, but the hub is not at the pushed commit")
            } else {
                refused += 1
                #expect(new == old, "\(context): refused, but the hub moved")
            }
            try expectConsistent(w, "hub.git", context)
        }
        // Whole again: everything the node has lands, once.
        try killHookAfter(60)
        #expect(try push().status == 0)
        try expectNothingLeft(w, "hub.git", "after the last push")
        #expect(try head(w, "hub.git") == (try head(w, "work")))
        let cases = try w.git(["--git-dir", "hub.git", "ls-tree", "--name-only", "main", "cases/2026/edu1/"]).stdout.split(separator: "\n")
        #expect(cases.count == Self.rounds + 1)
        print("CrashTests.hook: \(refused) of \(Self.rounds) pushes refused by a killed hook (a push takes about \(String(format: "%.3f", duration / 1.2)) s)")
    }

    /// `sync` killed at random moments while another node keeps pushing: the node's main is
    /// its own step or that step replayed on the hub, the hub's main is the hub's or the
    /// node's replayed step on it, both verify, and the next sync lands every step once.
    @Test func aSyncKilledAtAnyMomentLosesAndDuplicatesNothing() throws {
        let hub = try HubServeTests.ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1", "edu2"])
        var random = SeededGenerator(seed: Self.seed("sync"))
        try openCase(w, organization: 10_000_000, repository: "edu1.work")
        let started = Date()
        #expect(try w.webjcase(["sync", "--repo", "edu1.work"]).status == 0)
        let duration = Date().timeIntervalSince(started) * 1.2
        var killed = 0
        for round in 1...Self.rounds {
            // The other node moves the hub on; this node records a step and syncs, killed.
            try openCase(w, organization: 20_000_000 + round, repository: "edu2.work")
            #expect(try w.webjcase(["sync", "--repo", "edu2.work"]).status == 0)
            try openCase(w, organization: 10_000_000 + round, repository: "edu1.work")
            let local = try head(w, "edu1.work")
            let hubBefore = try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout.trimmed
            let delay = Double.random(in: 0...duration, using: &random)
            let run = try runAndKill(webjcaseBinary, ["sync", "--repo", "edu1.work"], in: w.path, environment: ["WEBJCASE_NOW": w.now], after: delay)
            if run.killed { killed += 1 } else { #expect(run.status == 0, "round \(round): an uninterrupted sync failed") }
            let context = "round \(round), sync killed after \(String(format: "%.3f", delay)) s"
            let node = try head(w, "edu1.work")
            let hubAfter = try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout.trimmed
            // The node: its own steps as they were, or replayed on the hub's main (earlier killed
            // syncs may have left more than one step unpushed).
            let replayed = try w.git(["-C", "edu1.work", "merge-base", "--is-ancestor", hubBefore, node]).status == 0
            #expect(node == local || replayed, "\(context): the node's main is neither its steps nor its steps replayed on the hub")
            // The hub: where it was, or moved on by the node's steps only.
            let moved = try hub.hubGit("edu.git", ["log", "--format=%s", "\(hubBefore)..\(hubAfter)"]).stdout.split(separator: "\n")
            #expect(moved.allSatisfy { $0.hasPrefix("REG-2026-edu1-") }, "\(context): the hub moved by others' steps: \(moved)")
            try expectConsistent(w, "edu1.work", context)
        }
        for node in ["edu1", "edu2", "edu1"] {
            let synced = try w.webjcase(["sync", "--repo", "\(node).work"])
            #expect(synced.status == 0, "\(synced)")
        }
        try expectNothingLeft(w, "edu1.work", "after the last sync")
        let status = try w.git(["-C", "edu1.work", "status", "--porcelain", "--untracked-files=all"]).stdout
        #expect(status == "", "the node's work tree after the last sync:\n\(status)")
        let hubMain = try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout.trimmed
        let mains = [try head(w, "edu1.work"), try head(w, "edu2.work")]
        #expect(mains == [hubMain, hubMain])
        let cases = try hub.hubGit("edu.git", ["ls-tree", "--name-only", "main", "cases/2026/edu1/", "cases/2026/edu2/"]).stdout.split(separator: "\n")
        #expect(cases.count == 2 * Self.rounds + 1, "every step lands once: \(cases.count) cases")
        let verify = try w.webjcase(["verify", "--repo", "root/edu.git"])
        #expect(verify.status == 0, "\(verify)")
        print("CrashTests.sync: \(killed) of \(Self.rounds) syncs killed (a sync takes about \(String(format: "%.3f", duration / 1.2)) s)")
        #expect(hub.stop() == 0)
    }

    // MARK: checks

    private func openCase(_ w: Workspace, organization: Int, repository: String = "edu") throws {
        let result = try w.webjcase(["case", "open", "REG", "--org", String(organization), "--data", "open.yaml", "--key", "chen.clerk",
                                     "--repo", repository])
        guard result.status == 0 else { throw WorkspaceError(result) }
    }

    private func head(_ w: Workspace, _ repository: String = "edu") throws -> String {
        try w.git(["-C", repository, "rev-parse", "main"]).stdout.trimmed
    }

    /// fsck and verify pass.
    private func expectConsistent(_ w: Workspace, _ repository: String, _ context: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fsck = try w.git(["-C", repository, "fsck", "--strict", "--no-dangling", "--no-progress"])
        #expect(fsck.status == 0, "\(context): \(fsck)", sourceLocation: sourceLocation)
        let verify = try w.webjcase(["verify", "--repo", repository])
        #expect(verify.status == 0, "\(context): \(verify)", sourceLocation: sourceLocation)
    }

    /// No lock file, no temporary file of git's, libgit2's or webjcase's in the git directory.
    private func expectNothingLeft(_ w: Workspace, _ repository: String, _ context: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let gitDirectory = w.gitDirectory(repository)
        let stray = (FileManager.default.enumerator(atPath: gitDirectory)?.allObjects as? [String] ?? []).filter {
            $0.hasSuffix(".lock") || $0.contains("tmp_obj") || $0.contains("_git2_") || $0.contains(".webjcase-")
        }
        #expect(stray.isEmpty, "\(context): left in \(gitDirectory): \(stray)", sourceLocation: sourceLocation)
    }
}
