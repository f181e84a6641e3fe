import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hub over the network: a bare repository made by `webjcase init`, served by stock
/// `git daemon --enable=receive-pack` on 127.0.0.1, a node clone made by `webjcase clone`
/// over git://, and pushes by stock `git push`. Every refusal reaches the pusher as
/// `remote: [RULE-ID] …` and leaves the hub's refs as they were.
///
/// Against hangs: the daemon's output goes to a file (never a pipe the test runner or a
/// forked child could hold open), its stdin is /dev/null, it is stopped with SIGKILL in a
/// `defer` (SIGTERM is blocked in processes a test starts; see `Daemon.stop`) and by
/// `timeout` should the test process die, and every command has a time limit.
@Suite(.enabled(if: daemonAvailable, "git daemon is not installed (git-daemon is not in `git --exec-path`)"))
struct DaemonTests {
    // MARK: the acceptance criterion, one refusal per test

    @Test func aGoodStepIsAcceptedAndAForcePushIsRefused() throws {
        try withHub { hub in
            // The control: a valid step goes through the daemon and the hook.
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let good = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(good.status == 0, "\(good)")
            let pushed = try hub.mainOfHub()
            #expect(pushed == (try hub.git(["-C", "work", "rev-parse", "main"])).stdout.trimmed)

            // Rewrite it: another case in its place, pushed with --force.
            #expect(try hub.git(["-C", "work", "reset", "-q", "--hard", "HEAD~1"]).status == 0)
            try hub.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let before = try hub.refs()
            let force = try hub.git(["-C", "work", "push", "--force", "origin", "main"])
            #expect(force.status != 0, "\(force)")
            #expect(force.stderr.contains("remote: [S-REF]"), "\(force)")
            #expect(force.stderr.contains("not a fast-forward"), "\(force)")
            #expect(try hub.refs() == before)
            #expect(try hub.mainOfHub() == pushed)
        }
    }

    @Test func aDeletionIsRefused() throws {
        try withHub { hub in
            let before = try hub.refs()
            let delete = try hub.git(["-C", "work", "push", "origin", "--delete", "main"])
            #expect(delete.status != 0, "\(delete)")
            #expect(delete.stderr.contains("remote: [S-REF]"), "\(delete)")
            #expect(delete.stderr.contains("never deletes its history"), "\(delete)")
            #expect(try hub.refs() == before)
        }
    }

    @Test func onlyMainCanBePushed() throws {
        try withHub { hub in
            let before = try hub.refs()
            for target in ["refs/heads/other", "refs/tags/v1", "refs/notes/commits"] {
                let push = try hub.git(["-C", "work", "push", "origin", "main:\(target)"])
                #expect(push.status != 0, "\(target): \(push)")
                #expect(push.stderr.contains("remote: [S-REF] \(target): only refs/heads/main can be pushed"), "\(target): \(push)")
            }
            #expect(try hub.refs() == before)
        }
    }

    @Test func aBadCommitInTheMiddleIsFoundUnderAGoodTip() throws {
        try withHub { hub in
            let before = try hub.refs()
            // 1: a good step. 2: a plain, unsigned commit that touches the case. 3: a good step.
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let folder = "work/cases/2026/edu1/REG-2026-edu1-0001/documents"
            try FileManager.default.createDirectory(atPath: hub.w.directory.file(folder), withIntermediateDirectories: true)
            try hub.w.directory.write(folder + "/note.yaml", "kind: \"note\"\n")
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            #expect(try hub.git(["-C", "work", "commit", "-q", "--no-verify", "-m", "sneak"]).status == 0)
            let middle = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "rev-list", "--count", "origin/main..main"]).stdout.trimmed == "3")
            // The tip alone is a fine, node-signed step.
            #expect(try hub.git(["-C", "work", "cat-file", "-p", "main"]).stdout.contains("gpgsig -----BEGIN SSH SIGNATURE-----"))

            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            #expect(push.stderr.contains("remote: [S-COMMIT-SIGNATURE] Commit \(middle.prefix(12)) is not signed"), "\(push)")
            #expect(try hub.refs() == before)
        }
    }

    @Test func aSymlinkIsRefused() throws {
        try withHub { hub in
            let before = try hub.refs()
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let step = hub.w.directory.file("work/cases/2026/edu1/REG-2026-edu1-0001/steps/0002-submit.yaml")
            try FileManager.default.createSymbolicLink(atPath: step, withDestinationPath: "/etc/passwd")
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0001 submit", action: "submit")
            #expect(try hub.git(["-C", "work", "ls-tree", "-r", "main"]).stdout.contains("120000 blob"), "a symlink is committed")

            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            #expect(push.stderr.contains("remote: [S-MODE]"), "\(push)")
            #expect(try hub.refs() == before)
        }
    }

    @Test func aReviewerOfAnotherJurisdictionCannotSignAStep() throws {
        try withHub(foreignReviewer: true) { hub in
            let before = try hub.refs()
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let base = try hub.git(["-C", "work", "rev-parse", "main"]).stdout.trimmed

            // `webjcase step` refuses hsu.reviewer (social) in an edu case, so the node cannot
            // record it the honest way.
            let honest = try hub.webjcase(["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml",
                                           "--key", "hsu.reviewer", "--repo", "work"], check: false)
            #expect(honest.status == 1, "\(honest)")
            #expect(honest.stderr.contains("[S-SIGNER]"), "\(honest)")

            // The dishonest way: a local, unsigned policy commit that puts hsu.reviewer in edu,
            // the step recorded on it, then the step alone replayed on `base` and signed by
            // the node with stock git. The pushed commit is well-formed and node-signed; only
            // its signer's jurisdiction is wrong.
            let policy = hub.w.directory.file("work/trust/policy.yaml")
            let text = try String(contentsOfFile: policy, encoding: .utf8)
            let edu = text.replacingOccurrences(of: #"roles: ["authority-reviewer"], jurisdiction: "social""#,
                                                with: #"roles: ["authority-reviewer"], jurisdiction: "edu""#)
            #expect(edu != text)
            try Data(edu.utf8).write(to: URL(fileURLWithPath: policy))
            #expect(try hub.git(["-C", "work", "commit", "-q", "--no-verify", "-am", "local policy"]).status == 0)
            try hub.webjcase(["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml",
                              "--key", "hsu.reviewer", "--repo", "work"])
            let forged = try hub.git(["-C", "work", "rev-parse", "main"]).stdout.trimmed
            #expect(try hub.git(["-C", "work", "reset", "-q", "--hard", base]).status == 0)
            let pick = try hub.git(hub.nodeSigning + ["-C", "work", "cherry-pick"] + (hub.canSign ? ["-S"] : []) + [forged],
                                   environment: hub.nodeIdentity)
            #expect(pick.status == 0, "\(pick)")
            #expect(try hub.git(["-C", "work", "diff", "--name-only", "\(base)..main"]).stdout
                    == "cases/2026/edu1/REG-2026-edu1-0001/steps/0003-initial.correction.yaml\n"
                     + "cases/2026/edu1/REG-2026-edu1-0001/steps/0003-initial.correction.yaml.sig\n")

            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            #expect(push.stderr.contains("remote: [S-SIGNER]"), "\(push)")
            #expect(push.stderr.contains("hsu.reviewer, who acts for jurisdiction social, not for edu"), "\(push)")
            if hub.canSign {
                #expect(!push.stderr.contains("[S-COMMIT-SIGNATURE]"), "the node's signature is good: \(push)")
            }
            #expect(try hub.refs() == before)
        }
    }

    @Test func anAliasBombIsRefusedInUnderASecond() throws {
        // Billion laughs: nine strings, seven levels of nine aliases, four of the last: 4 × 9^8
        // (about 172 million) strings once expanded.
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for (name, previous) in zip("bcdefgh", "abcdefg") {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        lines.append("letter: [*h,*h,*h,*h]")
        let bomb = lines.joined(separator: "\n") + "\n\n"
        #expect(bomb.utf8.count == 330)

        try withHub { hub in
            let before = try hub.refs()
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            try hub.w.directory.write("work/cases/2026/edu1/REG-2026-edu1-0001/steps/0002-submit.yaml", bomb)
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0001 submit", action: "submit")

            let start = Date()
            let push = try hub.git(["-C", "work", "push", "origin", "main"], timeout: 60)
            let seconds = Date().timeIntervalSince(start)
            print("DaemonTests: the 330-byte alias bomb was refused in \(String(format: "%.3f", seconds)) s (push wall time over git://)")
            #expect(push.status != 0, "\(push)")
            #expect(push.stderr.contains("remote: [S-DOCUMENT]"), "\(push)")
            #expect(push.stderr.contains("YAML anchors (&a) are not allowed"), "\(push)")
            // The criterion is one second; the bound is generous because CI machines are noisy.
            #expect(seconds < 5, "the push took \(seconds) s")
            #expect(try hub.refs() == before)
        }
    }

}
