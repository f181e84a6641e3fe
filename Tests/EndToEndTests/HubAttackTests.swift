import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// An attacker who holds a real agency node's key and token (edu1), pushing through
/// `webjcase serve` with stock git and hand-made objects: each attack is refused with the
/// rule that stops it, in one line per language, and the hub's refs and objects do not move.
@Suite struct HubAttackTests {
    typealias ServedHub = HubServeTests.ServedHub

    /// Stock git in `work` (a clone of edu.git made with edu1's token), committing as the node.
    struct Attacker {
        let hub: ServedHub
        var w: Workspace { hub.w }

        init(_ hub: ServedHub, repository: String = "edu.git", node: String = "edu1") throws {
            self.hub = hub
            let cloned = try hub.git(["clone", "-q", hub.url(repository, as: node), "work"])
            guard cloned.status == 0 else { throw HubServeTests.HubError("clone: \(cloned)") }
        }

        /// git in `work` as node edu1 at the hub's time, its commits signed with the node's key.
        func git(_ arguments: [String], input: String? = nil) throws -> RunResult {
            var signing: [String] = []
            if let sshKeygen {
                signing = ["-c", "gpg.format=ssh", "-c", "gpg.ssh.program=\(sshKeygen)", "-c", "user.signingKey=\(w.directory.file("edu1"))"]
            }
            return try runProcess(gitBinary, ["-c", "credential.helper="] + signing + ["-C", "work"] + arguments, in: w.path, environment: [
                "GIT_CONFIG_NOSYSTEM": "1", "HOME": w.path, "GIT_TERMINAL_PROMPT": "0",
                "GIT_AUTHOR_NAME": "edu1", "GIT_AUTHOR_EMAIL": "edu1@edu.webjcase",
                "GIT_COMMITTER_NAME": "edu1", "GIT_COMMITTER_EMAIL": "edu1@edu.webjcase",
                "GIT_AUTHOR_DATE": w.now, "GIT_COMMITTER_DATE": w.now,
            ], stdin: input.map { Data($0.utf8) })
        }

        /// A commit of `tree` on `main`, signed by the node; its id.
        func commit(tree: String, message: String = "Change\n") throws -> String {
            let parent = try git(["rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let made = try git(["commit-tree", tree, "-p", parent, "-m", message] + (sshKeygen == nil ? [] : ["-S"]))
            guard made.status == 0 else { throw HubServeTests.HubError("commit-tree: \(made)") }
            return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Pushes `commit` to the hub's main and expects `rule` to refuse it: the push fails,
        /// says the rule, leaks nothing of the hub, and leaves its refs and objects as they were.
        @discardableResult
        func expectRefused(_ commit: String, rule: String, repository: String = "edu.git",
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
            let refs = try hub.hubGit(repository, ["for-each-ref", "--format=%(refname) %(objectname)"]).stdout
            let objects = try objectFiles(repository)
            let push = try git(["push", hub.url(repository, as: "edu1"), "\(commit):refs/heads/main"])
            #expect(push.status != 0, "\(push)", sourceLocation: sourceLocation)
            #expect(push.stderr.contains("remote: [\(rule)]"), "\(push)", sourceLocation: sourceLocation)
            for leak in [".swift", "Backtrace", "Fatal error", w.path] {
                #expect(!push.stderr.contains(leak), "the push's answer shows `\(leak)`: \(push)", sourceLocation: sourceLocation)
            }
            #expect(try hub.hubGit(repository, ["for-each-ref", "--format=%(refname) %(objectname)"]).stdout == refs,
                    "the hub's refs moved", sourceLocation: sourceLocation)
            #expect(try objectFiles(repository) == objects, "the refused push left objects", sourceLocation: sourceLocation)
            return push
        }

        func objectFiles(_ repository: String) throws -> Int {
            try FileManager.default.subpathsOfDirectory(atPath: w.directory.file("root/\(repository)/objects")).count
        }
    }

    /// A tree 20,000 levels deep crashed the hook (the tree comparison recursed once a
    /// level) and sent the pusher a Swift backtrace with the hub's paths. Refused by S-LIMIT
    /// before the deep levels are read.
    @Test func aTreeTwentyThousandLevelsDeepIsRefusedInOneLine() throws {
        let hub = try ServedHub()
        let attacker = try Attacker(hub)
        // Loose tree objects written directly (git's own tools refuse to build this deep).
        let script = """
        import hashlib, os, sys, zlib
        objects = sys.argv[1]
        def write(kind, body):
            data = kind + b" " + str(len(body)).encode() + b"\\0" + body
            sha = hashlib.sha1(data).hexdigest()
            path = os.path.join(objects, sha[:2], sha[2:])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if not os.path.exists(path):
                open(path, "wb").write(zlib.compress(data))
            return sha
        tree = write(b"tree", b"100644 file.txt\\0" + bytes.fromhex(write(b"blob", b"deep\\n")))
        for _ in range(20000):
            tree = write(b"tree", b"40000 d\\0" + bytes.fromhex(tree))
        print(tree)
        """
        try hub.w.directory.write("deep.py", script)
        let made = try runProcess("/usr/bin/env", ["python3", "deep.py", hub.w.directory.file("work/.git/objects")], in: hub.w.path)
        #expect(made.status == 0, "\(made)")
        let deep = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listing = try attacker.git(["ls-tree", "HEAD"]).stdout + "040000 tree \(deep)\tcases\n"
        let root = try attacker.git(["mktree"], input: listing)
        #expect(root.status == 0, "\(root)")
        let commit = try attacker.commit(tree: root.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let push = try attacker.expectRefused(commit, rule: "S-LIMIT")
        #expect(push.stderr.contains("32"), "the message names the limit: \(push)")
        #expect(try hub.w.webjcase(["verify", "--repo", "root/edu.git"]).status == 0)
    }

    /// One commit with thousands of attachments sharing one blob made the hook compare every
    /// pair of names (8,000: 45 s). The number of files is refused at its limit, before
    /// any of them is read, well within the time a push may take.
    @Test func aCommitOfThousandsOfFilesIsRefusedBeforeItIsRead() throws {
        let hub = try ServedHub()
        let attacker = try Attacker(hub)
        let blob = try attacker.git(["hash-object", "-w", "--stdin"], input: "%PDF-1.4\n%%EOF\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let files = (0..<8_000).map { "100644 blob \(blob)\tscan-\($0).pdf\n" }.joined()
        let attachments = try attacker.git(["mktree"], input: files).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let caseTree = try attacker.git(["mktree"], input: "040000 tree \(attachments)\tattachments\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let node = try attacker.git(["mktree"], input: "040000 tree \(caseTree)\tREG-2026-edu1-0001\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let year = try attacker.git(["mktree"], input: "040000 tree \(node)\tedu1\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let cases = try attacker.git(["mktree"], input: "040000 tree \(year)\t2026\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listing = try attacker.git(["ls-tree", "HEAD"]).stdout + "040000 tree \(cases)\tcases\n"
        let root = try attacker.git(["mktree"], input: listing).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = try attacker.commit(tree: root)
        let started = Date()
        let push = try attacker.expectRefused(commit, rule: "S-LIMIT")
        #expect(push.stderr.contains("1000") || push.stderr.contains("1,000"), "\(push)")
        #expect(Date().timeIntervalSince(started) < 30, "the hub answered within the time of a push")
        #expect(try hub.w.webjcase(["verify", "--repo", "root/edu.git"]).status == 0)
    }

    /// A revocation list with the XCA's name as its issuer and a later date, signed by a key
    /// of the attacker's own, was admitted (CRLs need no admin, and nothing checked the CA's
    /// signature); an applicant form of a revoked certificate then passed. Refused by A-CRL,
    /// and so is a `.sig` of arbitrary bytes beside the genuine list (S-PATH).
    @Test func aForgedRevocationListIsRefusedByTheHub() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1"])
        #expect(try w.webjcase(["pki", "test-ca", "pki"]).status == 0)
        #expect(try w.webjcase(["pki", "test-ca", "other"]).status == 0)
        // The admins add the test root and its issuing CAs; the node adds the XCA's own list.
        let trusted = ["trust/roots/webjcase-test-root.pem", "trust/ca/test-xca.pem"]
        for path in trusted + ["trust/crl/test-xca.crl"] {
            try FileManager.default.createDirectory(atPath: w.directory.file("edu1.work/" + (path as NSString).deletingLastPathComponent),
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: w.directory.file("pki/" + path), toPath: w.directory.file("edu1.work/" + path))
        }
        for path in trusted {
            let signed = try w.webjcase(["trust", "sign", path, "--key", "lin.admin", "--repo", "edu1.work"])
            #expect(signed.status == 0, "\(signed)")
        }
        for paths in [trusted, ["trust/crl/test-xca.crl"]] {
            let committed = try w.webjcase(["trust", "commit"] + paths + ["--repo", "edu1.work"])
            #expect(committed.status == 0, "\(committed)")
        }
        let synced = try w.webjcase(["sync", "--repo", "edu1.work"])
        #expect(synced.status == 0, "\(synced)")

        let attacker = try Attacker(hub)
        // The other PKI's XCA bears the same name; its list is the attacker's own making.
        let forged = try Data(contentsOf: URL(fileURLWithPath: w.directory.file("other/trust/crl/test-xca.crl")))
        try forged.write(to: URL(fileURLWithPath: w.directory.file("work/trust/crl/xca-newer.crl")))
        #expect(try attacker.git(["add", "trust/crl/xca-newer.crl"]).status == 0)
        let tree = try attacker.git(["write-tree"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let push = try attacker.expectRefused(try attacker.commit(tree: tree, message: "Change trust/crl/xca-newer.crl\n"), rule: "A-CRL")
        #expect(push.stderr.contains("trust/ca"), "the message says how a list is admitted: \(push)")
        #expect(push.stderr.contains("[A-CRL]") && push.stderr.contains("廢止清冊"), "both languages: \(push)")

        #expect(try attacker.git(["reset", "-q", "--hard", "HEAD"]).status == 0)
        try Data(repeating: 0x41, count: 1 << 20).write(to: URL(fileURLWithPath: w.directory.file("work/trust/crl/test-xca.crl.sig")))
        #expect(try attacker.git(["add", "trust/crl/test-xca.crl.sig"]).status == 0)
        let withSignature = try attacker.git(["write-tree"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try attacker.expectRefused(try attacker.commit(tree: withSignature, message: "Change trust/crl/test-xca.crl\n"), rule: "S-PATH")
        #expect(try w.webjcase(["verify", "--repo", "root/edu.git"]).status == 0)
    }

    /// One application under way per organization, across jurisdictions: a registration
    /// opened in social with a claim a few minutes ahead of the hub's clock (within the
    /// tolerance) was hidden from the hub's check of edu, which cut the other repository at
    /// its clock. The hub now judges by everything it has received.
    @Test func aClaimAheadOfTheHubsClockHidesNothingFromTheOtherJurisdiction() throws {
        let hub = try ServedHub(people: [("tsai.clerk", ["clerk"], "social")])
        let w = hub.w
        try hub.cloneNodes(["edu1"])
        let fingerprint = try hub.hubGit("social.git", ["config", "webjcase.policy"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let cloned = try w.webjcase(["clone", "http://127.0.0.1:\(hub.port)/social.git", "soc1.work", "--node", "soc1", "--pin", fingerprint,
                                     "--key", "soc1", "--token-file", "soc1.token"])
        #expect(cloned.status == 0, "\(cloned)")
        let hubTime = w.now
        // An accepted push to edu: its receipt records the view of social it was judged by.
        let other = try w.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu1.work"])
        #expect(other.status == 0, "\(other)")
        #expect(try w.webjcase(["sync", "--repo", "edu1.work"]).status == 0)
        let socialTip = try hub.hubGit("social.git", ["rev-parse", "main"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let receipt = try hub.hubGit("edu.git", ["show", "refs/webjcase/receipts:receipt.yaml"]).stdout
        #expect(receipt.contains("views:") && receipt.contains("social: \(socialTip)"), "\(receipt)")
        // Four minutes ahead: within the five the hub tolerates for clocks.
        w.now = "2026-03-02T10:04:00+08:00"
        let social = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "tsai.clerk", "--repo", "soc1.work"])
        #expect(social.status == 0, "\(social)")
        let pushed = try w.webjcase(["sync", "--repo", "soc1.work"])
        #expect(pushed.status == 0, "\(pushed)")
        w.now = hubTime
        let edu = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu1.work"])
        #expect(edu.status == 0, "the node sees its own jurisdiction only: \(edu)")
        let before = try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout
        let sync = try w.webjcase(["sync", "--repo", "edu1.work"])
        #expect(sync.status != 0, "\(sync)")
        #expect(sync.stderr.contains("[P4-ONE-OPEN]") && sync.stderr.contains("REG-2026-soc1-0001"), "\(sync)")
        #expect(try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout == before)
        for repository in ["edu.git", "social.git"] {
            let verified = try w.webjcase(["verify", "--repo", "root/\(repository)"])
            #expect(verified.status == 0, "\(repository): \(verified)")
        }
    }

    /// git refuses some pushes itself, before any hook: its object check (`receive.fsckObjects`:
    /// a `.git` entry) and the size limit (`receive.maxInputSize`). The pusher read only
    /// git's `unpacker error`; serve adds a line naming the rule, in both languages.
    @Test func gitsOwnRefusalsNameARule() throws {
        let hub = try ServedHub()
        let attacker = try Attacker(hub)
        let blob = try attacker.git(["rev-parse", "HEAD:webjcase.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inner = try attacker.git(["mktree"], input: "100644 blob \(blob)\tconfig\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listing = try attacker.git(["ls-tree", "HEAD"]).stdout + "040000 tree \(inner)\t.git\n"
        let root = try attacker.git(["mktree"], input: listing).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dotGit = try attacker.expectRefused(try attacker.commit(tree: root), rule: "HUB-OBJECT-CHECK")
        #expect(dotGit.stderr.contains("hasDotgit") && dotGit.stderr.contains("git 本身"), "git's own fsck id, both languages: \(dotGit)")

        #expect(try hub.hubGit("edu.git", ["config", "receive.maxInputSize", "100000"]).status == 0)
        var noise = Data(count: 400_000)
        for index in noise.indices { noise[index] = UInt8.random(in: 0...255) }
        try noise.write(to: URL(fileURLWithPath: hub.w.directory.file("work/noise.bin")))
        let big = try attacker.git(["hash-object", "-w", "noise.bin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let withBlob = try attacker.git(["mktree"], input: try attacker.git(["ls-tree", "HEAD"]).stdout + "100644 blob \(big)\tnoise.bin\n")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tooLarge = try attacker.expectRefused(try attacker.commit(tree: withBlob), rule: "HUB-TOO-LARGE")
        #expect(tooLarge.stderr.contains("receive.maxInputSize"), "\(tooLarge)")
        #expect(try hub.w.webjcase(["verify", "--repo", "root/edu.git"]).status == 0)
    }

    /// Registrations of one organization in two jurisdictions, pushed at the same moment:
    /// each hook judged the other repository before the other push's ref moved, so both
    /// could pass. Pushes to the case repositories take turns on the hub: exactly one lands.
    @Test func twoJurisdictionsRegisteringOneOrganizationAtOnceAcceptOne() throws {
        for round in 1...2 {
            let hub = try ServedHub(people: [("tsai.clerk", ["clerk"], "social")])
            let w = hub.w
            try hub.cloneNodes(["edu1"])
            let fingerprint = try hub.hubGit("social.git", ["config", "webjcase.policy"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try w.webjcase(["clone", "http://127.0.0.1:\(hub.port)/social.git", "soc1.work", "--node", "soc1", "--pin", fingerprint,
                                    "--key", "soc1", "--token-file", "soc1.token"]).status == 0)
            for (clerk, node) in [("chen.clerk", "edu1.work"), ("tsai.clerk", "soc1.work")] {
                let opened = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", clerk, "--repo", node])
                #expect(opened.status == 0, "\(opened)")
            }
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let node = index == 0 ? "edu1.work" : "soc1.work"
                results.set(node, try? w.webjcase(["sync", "--repo", node]))
            }
            let outcomes = ["edu1.work", "soc1.work"].map { results.get($0) }
            #expect(outcomes.filter { $0?.status == 0 }.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.contains { $0?.stderr.contains("[P4-ONE-OPEN]") == true }, "round \(round): \(outcomes)")
            for repository in ["edu.git", "social.git"] {
                #expect(try w.webjcase(["verify", "--repo", "root/\(repository)"]).status == 0, "\(repository)")
            }
        }
    }

    /// An organization id in another spelling (`0012345678` beside `12345678`) was taken as
    /// another organization, so no cross-case rule saw the first. Ids have one spelling.
    @Test func anOrganizationIdInAnotherSpellingIsRefused() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1"])
        for alias in ["0012345678", "012345678", "abc-1", "AB--1", "AB-"] {
            let opened = try w.webjcase(["case", "open", "REG", "--org", alias, "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu1.work"])
            #expect(opened.status == 2 && opened.stderr.contains(alias), "\(alias): \(opened)")
        }
        let opened = try w.webjcase(["case", "open", "REG", "--org", "01234567", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu1.work"])
        #expect(opened.status == 0, "eight digits with a leading zero are a 統一編號: \(opened)")
    }
}

/// The hub's receive hooks run as supervised workers: a worker that crashes or runs past
/// its budget is killed, the hub logs what it printed, and the pusher gets one line.
@Suite struct HookSupervisorTests {
    /// Runs `webjcase hook pre-receive` in `repository` with stdin held open (the worker
    /// waits for git's ref updates), does `act` to the worker, and returns what the hook said.
    func hook(_ w: Workspace, _ repository: String, environment: [String: String] = [:],
              act: (_ supervisor: pid_t, _ worker: pid_t) -> Void) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: webjcaseBinary)
        process.arguments = ["hook", "pre-receive"]
        process.currentDirectoryURL = URL(fileURLWithPath: w.directory.file(repository))
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        env["GIT_DIR"] = "."
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        let errors = w.directory.file("hook.err")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The worker: the supervisor's child.
        var worker: pid_t = 0
        for _ in 0..<200 {
            let children = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)) ?? ""
            if let pid = children.split(separator: " ").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                worker = pid
                break
            }
            usleep(25_000)
        }
        #expect(worker > 0, "the hook started a worker")
        usleep(300_000)
        act(process.processIdentifier, worker)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        return (process.terminationStatus, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    }

    @Test func aWorkerThatCrashesGivesOneLineAndTheLogGetsTheRest() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        let result = try hook(w, "hub.git") { kill($1, SIGSEGV) }
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("[HUB-INTERNAL]") && result.stderr.contains("中樞"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 2, "one line in each language: \(result)")
        let log = try String(contentsOfFile: w.directory.file("hub.git/webjcase/hook.log"), encoding: .utf8)
        #expect(log.contains("signal 11"), "\(log)")
    }

    @Test func aWorkerPastItsTimeBudgetIsStopped() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        let started = Date()
        let result = try hook(w, "hub.git", environment: ["WEBJCASE_HOOK_SECONDS": "2"]) { _, _ in }
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("[HUB-TIME]") && result.stderr.contains("2"), "\(result)")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    /// The repository's own `webjcase.hookSeconds` sets the budget, before the environment's.
    @Test func theRepositorysConfigSetsTheBudget() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        #expect(try w.git(["--git-dir", "hub.git", "config", "webjcase.hookSeconds", "1"]).status == 0)
        let result = try hook(w, "hub.git", environment: ["WEBJCASE_HOOK_SECONDS": "600"]) { _, _ in }
        #expect(result.status == 1 && result.stderr.contains("[HUB-TIME]") && result.stderr.contains("(1 s)"), "\(result)")
    }

    /// SIGTERM to the hook git started (the supervisor) ends the worker too, not only the
    /// process git waits for.
    @Test func aSIGTERMToTheHookEndsItsWorker() throws {
        let w = try Workspace()
        try w.initRepository("hub.git", bare: true)
        var worker: pid_t = 0
        let result = try hook(w, "hub.git") { supervisor, child in
            worker = child
            kill(supervisor, SIGTERM)
        }
        #expect(result.status == 128 + SIGTERM, "\(result)")
        var gone = false
        for _ in 0..<200 {
            let state = (try? String(contentsOfFile: "/proc/\(worker)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
            if state == nil || state == "Z" { gone = true; break }
            usleep(25_000)
        }
        #expect(gone, "the worker \(worker) outlived its supervisor")
    }
}
