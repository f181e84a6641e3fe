import Foundation
import Testing
import TestSupport

/// The built binary on fresh repositories: what an agency clerk and an auditor do.
@Suite struct AcceptanceTests {
    /// init + case open + three steps on a bare repository: five commits whose trailers
    /// plain git shows, whose signatures stock git accepts, and that `git fsck --strict` likes.
    @Test func fiveSignedCommitsThatStockGitAccepts() throws {
        let w = try Workspace()
        try w.initRepository()
        let opened = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
        #expect(opened.status == 0, "\(opened)")
        #expect(opened.stdout == "REG-2026-edu1-0001\n")
        let steps: [(String, String, String, String)] = [
            ("submit", "submit.yaml", "chen.clerk", "2026-03-02T11:00:00+08:00"),
            ("initial.correction", "correction.yaml", "wang.reviewer", "2026-03-03T09:00:00+08:00"),
            ("correct", "submit.yaml", "chen.clerk", "2026-03-10T15:30:00+08:00"),
        ]
        for (action, data, key, time) in steps {
            let result = try w.webjcase(["step", "REG-2026-edu1-0001", action, "--data", data, "--key", key, "--repo", "edu.git"],
                                        environment: ["WEBJCASE_NOW": time])
            #expect(result.status == 0, "\(result)")
        }
        let count = try w.git(["--git-dir", "edu.git", "rev-list", "--count", "main"])
        #expect(count.stdout == "5\n")

        let trailers = try w.git(["--git-dir", "edu.git", "log", "--format=%(trailers:key=Case,valueonly,separator=)|%(trailers:key=Action,valueonly,separator=)"])
        #expect(trailers.stdout.split(separator: "\n") == [
            "REG-2026-edu1-0001|correct", "REG-2026-edu1-0001|initial.correction",
            "REG-2026-edu1-0001|submit", "REG-2026-edu1-0001|open", "|",
        ])

        let allowed = try w.webjcase(["trust", "allowed-signers", "--repo", "edu.git"])
        #expect(allowed.status == 0)
        try w.directory.write("allowed_signers", allowed.stdout)
        let verified = try w.git(["--git-dir", "edu.git", "-c", "gpg.ssh.allowedSignersFile=\(w.directory.file("allowed_signers"))",
                                  "log", "--format=%G?"])
        #expect(verified.stdout == "G\nG\nG\nG\nG\n", "\(verified)")

        let fsck = try w.git(["--git-dir", "edu.git", "fsck", "--strict", "--no-dangling"])
        #expect(fsck.status == 0 && fsck.stderr.isEmpty && fsck.stdout.isEmpty, "\(fsck)")
        let dangling = try w.git(["--git-dir", "edu.git", "fsck", "--dangling"])
        #expect(!dangling.stdout.contains("dangling tree"), "\(dangling)")

        let verify = try w.webjcase(["verify", "--repo", "edu.git"])
        #expect(verify.status == 0, "\(verify)")
        let range = try w.webjcase(["validate", "--range", "main~3..main", "--repo", "edu.git"])
        #expect(range.status == 0, "\(range)")
        #expect(range.stderr.contains("3 commit(s) checked"), "\(range)")

        let log = try w.webjcase(["log", "REG-2026-edu1-0001", "--repo", "edu.git", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.map { $0["action"] as? String } == ["open", "submit", "initial.correction", "correct"])
        #expect(entries?[2]["actorName"] as? String == "wang.reviewer")

        let status = try w.webjcase(["status", "--repo", "edu.git", "--json"])
        #expect(status.stdout.contains("\"state\" : \"submitted\""), "\(status)")
    }

    /// A repository with a work tree: `step` updates the index and the files to match.
    @Test func stepUpdatesTheWorkTreeOfANonBareRepository() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]).status == 0)
        let step = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(step.status == 0, "\(step)")
        #expect(FileManager.default.fileExists(atPath: w.directory.file("edu/cases/2026/edu1/REG-2026-edu1-0001/steps/0002-submit.yaml.sig")))
        let status = try w.git(["-C", "edu", "status", "--porcelain"])
        #expect(status.stdout.isEmpty, "\(status)")
        #expect(try w.git(["-C", "edu", "rev-parse", "--abbrev-ref", "HEAD"]).stdout == "main\n")
    }

    @Test func attachmentsAreCheckedByContent() throws {
        let w = try Workspace()
        try w.initRepository()
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"]).status == 0)
        try w.directory.write("letter.pdf", "#!/bin/sh\necho not a pdf\n")
        let before = try w.refs()
        let refused = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk",
                                      "--attach", "letter.pdf", "--repo", "edu.git"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("letter.pdf: this kind of file cannot be attached"), "\(refused)")
        #expect(try w.refs() == before)
        try w.directory.write("scan.pdf", "%PDF-1.4\n% a scan\n")
        let accepted = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk",
                                       "--attach", "scan.pdf", "--repo", "edu.git"])
        #expect(accepted.status == 0, "\(accepted)")
        let blob = try w.git(["--git-dir", "edu.git", "show", "main:cases/2026/edu1/REG-2026-edu1-0001/attachments/scan.pdf"])
        #expect(blob.stdout == "%PDF-1.4\n% a scan\n")
    }

    @Test func keysAreWrittenPrivatelyAndNeverOverwritten() throws {
        let w = try Workspace()
        let mode = try FileManager.default.attributesOfItem(atPath: w.directory.file("chen.clerk"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let original = try String(contentsOfFile: w.directory.file("chen.clerk"), encoding: .utf8)
        let again = try w.webjcase(["keys", "new", "chen.clerk"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: w.directory.file("chen.clerk"), encoding: .utf8) == original)
        // ssh-keygen reads the key we wrote and derives the same public key.
        let derived = try runProcess("/usr/bin/ssh-keygen", ["-y", "-f", w.directory.file("chen.clerk")])
        #expect(derived.stdout.hasPrefix(w.publicKey("chen.clerk").components(separatedBy: " ").prefix(2).joined(separator: " ")))
    }

    @Test func usageErrorsExitTwo() throws {
        let w = try Workspace()
        let missing = try w.webjcase(["case", "open", "REG", "--org", "1"])
        #expect(missing.status == 2, "\(missing)")
        let notARepository = try w.webjcase(["status", "--repo", "nowhere"])
        #expect(notARepository.status == 2)
        #expect(notARepository.stderr.contains("nowhere: no git repository here"))
        let help = try w.webjcase(["step", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example: webjcase step"))
    }
}
