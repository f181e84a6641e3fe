import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The hub service on 127.0.0.1: `hub init`, `serve`, and stock git as the client — the
/// way auditors read a repository with nothing but git, and the way nodes push.
@Suite struct HubServeTests {
    /// A served hub with the jurisdictions edu and social, and tokens for edu1, soc1,
    /// centre and auditor1.
    final class ServedHub {
        let w: Workspace
        var tokens: [String: String] = [:]
        var process: Process?
        var port = 0
        var arguments: [String] = []
        let log: String
        /// A command serve runs under (its arguments, then serve's): `timeout`, `prlimit`.
        let wrapper: [String]
        let environment: [String: String]
        /// Start serve with SIGTERM and SIGINT blocked, whatever the test runner's mask.
        let blockTermination: Bool

        /// `agencies` more agency nodes of edu: ag1, ag2, …; `people` more identities of the
        /// policy (name, roles, jurisdiction), each with a key pair of its name; `strangers`:
        /// tokens for nodes that are in no policy; `serve`: more options for serve; `wrapper`:
        /// a command serve runs under (stopped with SIGKILL to its process group, then).
        init(tls: Bool = false, agencies: Int = 0, people: [(name: String, roles: [String], jurisdiction: String?)] = [],
             strangers: [String] = [], serve options: [String] = [], wrapper: [String] = [],
             environment: [String: String] = [:], blockTermination: Bool = false) throws {
            w = try Workspace()
            log = w.directory.file("serve.log")
            self.wrapper = wrapper
            self.environment = environment
            self.blockTermination = blockTermination
            let extra = agencies > 0 ? (1...agencies).map { "ag\($0)" } : []
            for name in ["centre", "hub", "soc1", "auditor1", "edu2"] + extra + people.map(\.name) {
                let made = try w.webjcase(["keys", "new", name])
                guard made.status == 0 else { throw WorkspaceError(made) }
            }
            let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
            try w.directory.write("policy.yaml", policy + """
              - {name: "centre", key: "\(w.publicKey("centre"))", roles: ["centre-node"]}
              - {name: "hub", key: "\(w.publicKey("hub"))", roles: ["hub"]}
              - {name: "soc1", key: "\(w.publicKey("soc1"))", roles: ["agency-node"], jurisdiction: "social"}
              - {name: "auditor1", key: "\(w.publicKey("auditor1"))", roles: ["auditor"]}
              - {name: "edu2", key: "\(w.publicKey("edu2"))", roles: ["agency-node"], jurisdiction: "edu"}

            """ + extra.map { "  - {name: \"\($0)\", key: \"\(w.publicKey($0))\", roles: [\"agency-node\"], jurisdiction: \"edu\"}\n" }.joined()
              + people.map { person in
                  "  - {name: \"\(person.name)\", key: \"\(w.publicKey(person.name))\", roles: [\(person.roles.map { "\"\($0)\"" }.joined(separator: ", "))]"
                      + (person.jurisdiction.map { ", jurisdiction: \"\($0)\"" } ?? "") + "}\n"
              }.joined())
            var lines = ""
            // A stranger's token is made as if it were a node (the hub's own policy does not know it).
            let policyText = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
            for stranger in strangers { try w.webjcase(["keys", "new", "stranger-" + stranger]) }
            try w.directory.write("strangers-policy.yaml", policyText + strangers.map {
                "  - {name: \"\($0)\", key: \"\(w.publicKey("stranger-" + $0))\", roles: [\"agency-node\"], jurisdiction: \"edu\"}\n"
            }.joined())
            for node in ["edu1", "edu2", "soc1", "centre", "auditor1"] + extra + strangers {
                let made = try w.webjcase(["hub", "token", node, "--policy", strangers.contains(node) ? "strangers-policy.yaml" : "policy.yaml"])
                guard made.status == 0 else { throw WorkspaceError(made) }
                tokens[node] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                try w.directory.write("\(node).token", made.stdout)
                lines += made.stderr.split(separator: "\n").filter { $0.contains("sha256") }.map { $0 + "\n" }.joined()
            }
            try w.directory.write("hub.yaml", """
            kind: "hub"
            format: 1
            policy: "policy.yaml"
            node: "centre"
            key: "centre"
            hubKey: "hub"
            jurisdictions:
              - {id: "edu", name: "臺南市政府教育局"}
              - {id: "social", name: "臺南市政府社會局"}
            tokens:
            \(lines)
            """)
            w.now = "2026-03-02T08:00:00+08:00"
            let made = try w.webjcase(["hub", "init", "root", "--config", "hub.yaml"])
            guard made.status == 0 else { throw WorkspaceError(made) }
            w.now = "2026-03-02T10:00:00+08:00"
            var arguments = ["serve", "--root", "root", "--listen", "127.0.0.1:0", "--config", "hub.yaml"] + options
            if tls {
                let cert = try runProcess("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                               "-keyout", "tls.key", "-out", "tls.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                               "-addext", "subjectAltName=IP:127.0.0.1"], in: w.path)
                guard cert.status == 0 else { throw WorkspaceError(cert) }
                arguments += ["--tls-cert", "tls.pem", "--tls-key", "tls.key"]
            }
            try start(arguments)
        }

        /// Stops the hub and starts it again on the same port with its clock at `time`: the
        /// days that pass for the hub between two syncs.
        func restart(at time: String) throws {
            guard stop() == 0 else { throw HubError("serve did not stop cleanly") }
            w.now = time
            var again = arguments
            if let listen = again.firstIndex(of: "--listen") { again[listen + 1] = "127.0.0.1:\(port)" }
            try start(again)
        }

        func start(_ arguments: [String]) throws {
            self.arguments = arguments
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrapper.first ?? webjcaseBinary)
            process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [webjcaseBinary] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: w.path)
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
            environment["WEBJCASE_NOW"] = w.now
            environment["LANG"] = "C.UTF-8"
            environment.merge(self.environment) { _, new in new }
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle(forWritingAtPath: log)
            if blockTermination { try Self.withTerminationBlocked { try process.run() } } else { try process.run() }
            self.process = process
            for _ in 0..<200 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"Serving root on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                    return
                }
                guard process.isRunning else { break }
                usleep(50_000)
            }
            throw HubError("serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        /// Runs `body` with SIGTERM and SIGINT blocked in this thread: what it starts inherits that.
        static func withTerminationBlocked<T>(_ body: () throws -> T) rethrows -> T {
            var signals = sigset_t(), previous = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGTERM)
            sigaddset(&signals, SIGINT)
            pthread_sigmask(SIG_BLOCK, &signals, &previous)
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
            return try body()
        }

        /// SIGTERM, then the exit status (SIGKILL after 10 s); under a wrapper, SIGKILL to
        /// the wrapper's process group at once (`timeout` makes one).
        @discardableResult
        func stop() -> Int32? {
            guard let process, process.isRunning else { return process?.terminationStatus }
            if !wrapper.isEmpty {
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<200 where process.isRunning { usleep(50_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }

        deinit { stop() }

        func url(_ repository: String, as node: String, token: String? = nil, scheme: String = "http") -> String {
            "\(scheme)://\(node):\(token ?? tokens[node] ?? "none")@127.0.0.1:\(port)/\(repository)"
        }

        /// `webjcase clone` of edu.git by each of `nodes` into `<node>.work`, pinned to the hub's policy.
        func cloneNodes(_ nodes: [String]) throws {
            let fingerprint = try hubGit("edu.git", ["config", "webjcase.policy"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for node in nodes {
                let cloned = try w.webjcase(["clone", "http://127.0.0.1:\(port)/edu.git", "\(node).work", "--node", node, "--pin", fingerprint,
                                             "--key", node, "--token-file", "\(node).token"])
                guard cloned.status == 0 else { throw HubError("clone by \(node): \(cloned)") }
            }
        }

        func git(_ arguments: [String]) throws -> RunResult {
            try w.git(["-c", "http.sslVerify=false", "-c", "credential.helper="] + arguments, environment: ["GIT_TERMINAL_PROMPT": "0"])
        }

        func hubGit(_ repository: String, _ arguments: [String]) throws -> RunResult {
            try w.git(["--git-dir", w.directory.file("root/\(repository)")] + arguments)
        }
    }

    struct HubError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func stockGitReadsWithATokenAndAccessFollowsThePolicy() throws {
        let hub = try ServedHub()
        let auditor = try hub.git(["clone", "-q", hub.url("social.git", as: "auditor1"), "audited"])
        #expect(auditor.status == 0, "an auditor reads every jurisdiction: \(auditor)")
        #expect(FileManager.default.fileExists(atPath: hub.w.directory.file("audited/webjcase.yaml")))
        let own = try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "own"])
        #expect(own.status == 0, "\(own)")
        let other = try hub.git(["clone", "-q", hub.url("social.git", as: "edu1"), "other"])
        #expect(other.status != 0 && other.stderr.contains("403"), "an agency reads only its jurisdiction: \(other)")
        let personal = try hub.git(["clone", "-q", hub.url("edu.personal.git", as: "auditor1"), "personal"])
        #expect(personal.status != 0 && personal.stderr.contains("403"), "auditors do not read personal stores: \(personal)")
        let bad = try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1", token: "not-the-token"), "bad"])
        #expect(bad.status != 0 && bad.stderr.contains("Authentication failed"), "\(bad)")
        let nobody = try hub.git(["clone", "-q", "http://127.0.0.1:\(hub.port)/edu.git", "nobody"])
        #expect(nobody.status != 0, "\(nobody)")
        #expect(hub.stop() == 0, "serve stops cleanly on SIGTERM")
    }

    @Test func aPushGetsAReceiptAndTheStatusPageSaysWhoPushed() throws {
        let hub = try ServedHub()
        #expect(try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "node"]).status == 0)
        #expect(try hub.w.git(["-C", "node", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try hub.w.git(["-C", "node", "config", "webjcase.key", hub.w.directory.file("edu1")]).status == 0)
        let opened = try hub.w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "node"])
        #expect(opened.status == 0, "\(opened)")
        let pushed = try hub.git(["-C", "node", "push", "origin", "main"])
        #expect(pushed.status == 0, "\(pushed)")
        #expect(pushed.stderr.contains("remote: receipt 1: 1 commit(s) received at 2026-03-02T10:00:00+08:00"), "\(pushed)")
        // hub init: git's own limits and housekeeping for a hub.
        #expect(try hub.hubGit("edu.git", ["config", "gc.autoPackLimit"]).stdout == "8\n")
        #expect(try hub.hubGit("edu.git", ["config", "receive.maxInputSize"]).stdout == "\(4 * 50 << 20)\n")
        let receipt = try hub.hubGit("edu.git", ["show", "refs/webjcase/receipts:receipt.yaml"])
        #expect(receipt.stdout.contains("by: edu1") && receipt.stdout.contains("sequence: 1"), "\(receipt)")

        // An auditor may read but not push.
        #expect(try hub.git(["-C", "node", "push", hub.url("edu.git", as: "auditor1"), "main:main"]).stderr.contains("403"))
        // The hook holds whoever the transport says pushes: a node of another jurisdiction
        // cannot write here, even where no serve stands in front (stock git, a local path).
        #expect(try hub.w.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "node"]).status == 0)
        let stranger = try hub.w.git(["-C", "node", "push", hub.w.directory.file("root/edu.git"), "main:main"],
                                     environment: ["WEBJCASE_PUSHER": "soc1"])
        #expect(stranger.status != 0 && stranger.stderr.contains("[S-PUSHER]"), "\(stranger)")
        // Nobody pushes receipts but the hub, and a refused push moves no ref.
        let refs = try hub.w.refs("root/edu.git")
        let forged = try hub.git(["-C", "node", "push", "--force", "origin", "main:refs/webjcase/receipts"])
        #expect(forged.status != 0 && forged.stderr.contains("[S-REF]"), "\(forged)")
        #expect(try hub.w.refs("root/edu.git") == refs)

        let anonymous = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(hub.port)/status"])
        #expect(anonymous.stdout == "401", "the status page is for the hub's nodes and auditors")
        let status = try runProcess("/usr/bin/curl", ["-s", "-u", "auditor1:\(hub.tokens["auditor1"] ?? "")", "http://127.0.0.1:\(hub.port)/status"])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let repositories = json?["repositories"] as? [[String: Any]]
        let edu = repositories?.first { $0["name"] as? String == "edu.git" }
        #expect((edu?["lastPush"] as? [String: Any])?["by"] as? String == "edu1", "\(status)")
        #expect(edu?["head"] as? String == (try hub.w.git(["-C", "node", "rev-parse", "origin/main"])).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let health = try runProcess("/usr/bin/curl", ["-s", "http://127.0.0.1:\(hub.port)/health"])
        #expect(health.stdout == "ok\n")
        let verify = try hub.w.webjcase(["verify", "--repo", "root/edu.git"])
        #expect(verify.status == 0, "\(verify)")
        #expect(hub.stop() == 0)
    }

    @Test func overTLS() throws {
        let hub = try ServedHub(tls: true)
        let health = try runProcess("/usr/bin/curl", ["-s", "--cacert", hub.w.directory.file("tls.pem"), "https://127.0.0.1:\(hub.port)/health"])
        #expect(health.stdout == "ok\n", "\(health)")
        let clone = try hub.w.git(["-c", "http.sslCAInfo=\(hub.w.directory.file("tls.pem"))", "clone", "-q",
                                   hub.url("edu.git", as: "auditor1", scheme: "https"), "secure"], environment: ["GIT_TERMINAL_PROMPT": "0"])
        #expect(clone.status == 0, "\(clone)")
        let plain = try runProcess("/usr/bin/curl", ["-s", "-m", "5", "http://127.0.0.1:\(hub.port)/health"])
        #expect(plain.stdout != "ok\n", "no plain HTTP on a TLS port")
        #expect(hub.stop() == 0)
    }

    /// DESIGN §7: nodes work offline and sync through `serve`; what came is validated
    /// before `main` moves; local steps are replayed on top; a step no longer legal is set
    /// aside, never dropped; a hub serving a broken history cannot move a node.
    @Test func offlineWorkSyncsAndARaceSetsAsideTheLosingStep() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1", "edu2", "centre"])
        @Sendable func run(_ node: String, _ arguments: [String], at time: String) throws -> RunResult {
            try w.webjcase(arguments + ["--repo", "\(node).work"], environment: ["WEBJCASE_NOW": time])
        }
        // Offline: each node opens a case.
        #expect(try run("edu1", ["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:56:00+08:00").status == 0)
        #expect(try run("edu1", ["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:56:10+08:00").status == 0)
        #expect(try run("edu2", ["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:56:20+08:00").status == 0)
        let first = try run("edu1", ["sync"], at: "2026-03-02T09:56:30+08:00")
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.contains("Trust in force: policy version 1 since 2026-03-02T08:00:00+08:00; calendars 2026, 2027"), "\(first)")
        #expect(!first.stderr.contains("clock differs"), "\(first)")
        let second = try run("edu2", ["sync"], at: "2026-03-02T09:56:40+08:00")
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.contains("REG-2026-edu2-0001 pushed 1"), "\(second)")
        #expect(second.stderr.contains("2 commit(s) received from the hub and verified"), "\(second)")

        // Two agencies and the Centre review the same case offline and sync at once: one
        // wins, the others' steps are set aside, nothing is lost.
        #expect(try run("centre", ["sync"], at: "2026-03-02T09:56:50+08:00").status == 0)
        for (node, time) in [("edu1", "09:57:00"), ("edu2", "09:57:05"), ("centre", "09:57:10")] {
            let step = try run(node, ["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml", "--key", "wang.reviewer"],
                               at: "2026-03-02T\(time)+08:00")
            #expect(step.status == 0, "\(node): \(step)")
        }
        let racers = ["edu1", "edu2", "centre"]
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: racers.count) { index in
            results.set(racers[index], try? run(racers[index], ["sync"], at: "2026-03-02T09:57:20+08:00"))
        }
        let winners = racers.filter { results.get($0)?.status == 0 }
        let setAside = racers.filter {
            results.get($0)?.status == 4 && results.get($0)?.stdout.contains("REG-2026-edu1-0001 conflict refs/webjcase/conflicts/REG-2026-edu1-0001/1") == true
        }
        #expect(winners.count == 1 && setAside.count == 2, "\(racers.map { "\($0): \(results.get($0).map { "\($0)" } ?? "none")" })")
        let loser = setAside.first { $0 != "centre" } ?? "edu2"
        for node in setAside where node != loser {
            #expect(try run(node, ["conflicts", "--drop", "refs/webjcase/conflicts/REG-2026-edu1-0001/1"], at: "2026-03-02T09:57:25+08:00").status == 0)
        }
        let listed = try run(loser, ["conflicts"], at: "2026-03-02T09:57:40+08:00")
        #expect(listed.stdout.contains("initial.correction") && listed.stderr.contains("[S-APPEND]"), "\(listed)")
        let hubMain = try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout
        #expect(try w.git(["-C", "\(loser).work", "rev-parse", "main"]).stdout == hubMain, "the loser follows the hub")
        for repository in ["edu1.work", "edu2.work", "centre.work", "root/edu.git"] {
            let verify = try w.webjcase(["verify", "--repo", repository])
            #expect(verify.status == 0, "\(repository): \(verify)")
        }
        let receipts = try hub.hubGit("edu.git", ["log", "--format=%s", "refs/webjcase/receipts"]).stdout.split(separator: "\n")
        #expect(receipts.count == 3, "\(receipts)")
        #expect(try run(loser, ["conflicts", "--drop", "refs/webjcase/conflicts/REG-2026-edu1-0001/1"], at: "2026-03-02T09:57:50+08:00").status == 0)
        #expect(try run(loser, ["conflicts"], at: "2026-03-02T09:57:50+08:00").stderr.contains("No step is set aside"))

        // A hub that serves a commit the validator refuses cannot move a node.
        let tree = try hub.hubGit("edu.git", ["rev-parse", "main^{tree}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bad = try hub.w.git(["--git-dir", w.directory.file("root/edu.git"), "commit-tree", tree, "-p", "main", "-m", "unsigned"])
        #expect(try hub.hubGit("edu.git", ["update-ref", "refs/heads/main", bad.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]).status == 0)
        let before = try w.git(["-C", "edu1.work", "rev-parse", "main"]).stdout
        let hostile = try run("edu1", ["sync"], at: "2026-03-02T09:58:00+08:00")
        #expect(hostile.status == 1 && hostile.stderr.contains("[S-COMMIT-SIGNATURE]") && hostile.stderr.contains("main did not move"), "\(hostile)")
        #expect(try w.git(["-C", "edu1.work", "rev-parse", "main"]).stdout == before)
        #expect(hub.stop() == 0)
    }

    /// DESIGN §5: a claimed time is the signer's word; the hub's receipt says when the step
    /// reached it. A clerk records a correction after its deadline (2026-03-16) dated the
    /// 13th, and syncs on the 20th: the hub takes it (a node may have worked offline), and
    /// its receipt of the 20th makes `verify` and the dossier show the gap to an auditor.
    @Test func aStepBackdatedToMeetADeadlineIsShownAgainstItsReceipt() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1"])
        @discardableResult
        func run(_ arguments: [String], at time: String) throws -> RunResult {
            let result = try w.webjcase(arguments + ["--repo", "edu1.work"], environment: ["WEBJCASE_NOW": time])
            #expect(result.status == 0, "\(arguments): \(result)")
            return result
        }
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:58:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:58:30+08:00")
        // correction.yaml: correct by 2026-03-16.
        try run(["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml", "--key", "wang.reviewer"],
                at: "2026-03-02T09:59:00+08:00")
        try run(["sync"], at: "2026-03-02T10:00:00+08:00")

        try hub.restart(at: "2026-03-20T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "correct", "--data", "submit.yaml", "--key", "chen.clerk"], at: "2026-03-13T10:00:00+08:00")
        let synced = try run(["sync"], at: "2026-03-20T10:00:00+08:00")
        #expect(synced.stdout.contains("REG-2026-edu1-0001 pushed 1"), "\(synced)")
        let receipt = try hub.hubGit("edu.git", ["show", "refs/webjcase/receipts:receipt.yaml"])
        #expect(receipt.stdout.contains("2026-03-20T10:00:00+08:00") && receipt.stdout.contains("sequence: 2"), "\(receipt)")

        // The node has the receipt of its push from its next sync on.
        try run(["sync"], at: "2026-03-20T10:05:00+08:00")
        // The receipt decides what the record says of the claim, on the node and for an auditor.
        for repository in ["edu1.work", "root/edu.git"] {
            let verify = try w.webjcase(["verify", "--repo", repository, "--json"])
            #expect(verify.status == 0, "a fact recorded late is kept, with a finding: \(verify)")
            let findings = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])["findings"] as? [[String: Any]]
            #expect(findings?.map { $0["rule"] as? String } == ["S-RECEIPT-DELAY"], "\(verify)")
            let finding = findings?.first
            #expect((finding?["path"] as? String)?.hasSuffix("steps/0004-correct.yaml") == true, "\(verify)")
            let message = (finding?["message"] as? [String: Any])?["en"] as? String ?? "\(finding ?? [:])"
            #expect(message.contains("2026-03-13T10:00:00+08:00") && message.contains("2026-03-20T10:00:00+08:00"), "\(verify)")
        }
        let report = try w.webjcase(["report", "REG-2026-edu1-0001", "--format", "md", "--repo", "edu1.work"])
        #expect(report.status == 0, "\(report)")
        let row = report.stdout.split(separator: "\n").first { $0.contains("correct") && !$0.contains("correction") }.map(String.init) ?? ""
        #expect(row.contains("2026-03-13T10:00:00+08:00") && row.contains("2026-03-20T10:00:00+08:00"), "the dossier shows claim and receipt: \(report.stdout)")
        #expect(hub.stop() == 0)
    }

    /// libgit2 keeps a pack per fetch and never repacks; a node that syncs every few minutes
    /// would spread years of history over thousands of packs, and `verify`'s memory grows
    /// with them. `sync` has git pack them again past the limit, as a hub's git does.
    @Test func syncKeepsANodesHistoryInFewPacks() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1", "edu2"])
        @discardableResult
        func run(_ node: String, _ arguments: [String]) throws -> RunResult {
            let result = try w.webjcase(arguments + ["--repo", "\(node).work"], environment: ["WEBJCASE_NOW": "2026-03-02T10:00:00+08:00"])
            #expect(result.status == 0, "\(node) \(arguments): \(result)")
            return result
        }
        func packs() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: w.directory.file("edu2.work/.git/objects/pack")).filter { $0.hasSuffix(".pack") }.count
        }
        var counts: [Int] = [], packed = 0
        for index in 0..<12 {
            try run("edu1", ["case", "open", "REG", "--org", "123456\(index / 10)\(index % 10)", "--data", "open.yaml", "--key", "chen.clerk"])
            try run("edu1", ["sync"])
            // edu2 fetches what edu1 pushed: a pack each time.
            if try run("edu2", ["sync"]).stderr.contains("git packed it again") { packed += 1 }
            counts.append(try packs())
        }
        #expect(counts.allSatisfy { $0 <= 8 }, "packs after each sync: \(counts)")
        #expect(packed == 1 && counts.contains(1), "packs after each sync: \(counts)")
        #expect(try w.git(["-C", "edu2.work", "fsck", "--strict", "--no-progress"]).status == 0)
        let main = { (repository: String) in try w.git(["--git-dir", w.gitDirectory(repository), "rev-parse", "main"]).stdout }
        #expect(try main("edu2.work") == main("root/edu.git"))
        let verify = try run("edu2", ["verify"])
        #expect(verify.stderr.contains("13 commit(s) checked"), "\(verify)")
        #expect(hub.stop() == 0)
    }

    /// DESIGN §2: the personal store travels beside the case repository: values kept on
    /// one node reach the hub's `<jurisdiction>.personal.git` and the other nodes of the
    /// jurisdiction; the hub's store takes nothing but entries that open their commitments.
    @Test func personalValuesTravelToTheHubAndTheOtherNodes() throws {
        let hub = try ServedHub()
        let w = hub.w
        try hub.cloneNodes(["edu1", "edu2"])
        func run(_ node: String, _ arguments: [String], at time: String = "2026-03-02T09:58:00+08:00") throws -> RunResult {
            try w.webjcase(arguments + ["--repo", "\(node).work"], environment: ["WEBJCASE_NOW": time])
        }
        // The admins add the test root; the applicant signs Annex 1 with its XCA certificate.
        #expect(try w.webjcase(["pki", "test-ca", "pki", "--org", "12345678:rsa"]).status == 0)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu1.work/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: w.directory.file("edu1.work/trust/roots/webjcase-test-root.pem"))
        #expect(try run("edu1", ["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin"]).status == 0)
        #expect(try run("edu1", ["trust", "commit", "trust/roots/webjcase-test-root.pem"]).status == 0)
        #expect(try run("edu1", ["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"]).status == 0)
        try w.directory.write("annex-1.yaml", """
        kind: "annex-1"
        format: 1
        organization: "12345678"
        application: {number: "例字第1150000001號", date: 2026-03-01}
        signedAt: 2026-03-02T09:00:00+08:00
        request: "registration"
        organizationName: "臺南市範例協會"
        registeredWith: "臺南市政府教育局"
        address: "臺南市安平區永華路二段6號"
        contact: {name: {value: "王小明"}, phone: {value: "06-2991111"}}

        """)
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "pki/organizations/12345678.key",
                                "--cert", "pki/organizations/12345678.chain.pem"]).status == 0)
        try w.directory.write("submit-doc.yaml", "letter: {number: \"1\", date: 2026-03-01}\ndocuments: [{annex: 1, file: \"documents/annex-1.yaml\"}]\n")
        let submitted = try run("edu1", ["step", "REG-2026-edu1-0001", "submit", "--data", "submit-doc.yaml", "--key", "chen.clerk",
                                         "--document", "annex-1.yaml"])
        #expect(submitted.status == 0, "\(submitted)")
        let sent = try run("edu1", ["sync"])
        #expect(sent.status == 0 && sent.stderr.contains("Personal store: 0 value(s) received, 2 sent."), "\(sent)")
        let received = try run("edu2", ["sync"])
        #expect(received.status == 0 && received.stderr.contains("2 value(s) received, 0 sent."), "\(received)")
        let checked = try run("edu2", ["personal", "check", "REG-2026-edu1-0001", "--json"])
        #expect(checked.stdout.components(separatedBy: "\"held\"").count == 3, "\(checked)")
        // Auditors read the record, not the personal store.
        #expect(try hub.git(["clone", "-q", hub.url("edu.personal.git", as: "auditor1"), "peek"]).stderr.contains("403"))

        // The hub's store refuses anything but entries that open their commitments.
        #expect(try hub.git(["clone", "-q", hub.url("edu.personal.git", as: "edu1"), "store"]).status == 0)
        try FileManager.default.createDirectory(atPath: w.directory.file("store/entries/00"), withIntermediateDirectories: true)
        try w.directory.write("store/entries/00/forged.yaml", "kind: \"personal\"\n")
        #expect(try w.git(["-C", "store", "add", "-A"]).status == 0)
        #expect(try w.git(["-C", "store", "commit", "-q", "-m", "forged"]).status == 0)
        let forged = try hub.git(["-C", "store", "push", "origin", "main"])
        // Plain `git commit`: unsigned, and a file that is not an entry's.
        #expect(forged.status != 0 && forged.stderr.contains("[S-PERSONAL-SIGNER]") && forged.stderr.contains("[S-PERSONAL-PATH]"), "\(forged)")

        // A deletion request co-signed by the admins: the hub's store forgets and prunes,
        // the nodes follow, the record still verifies and says "withheld".
        func objects(_ gitDirectory: String) throws -> String {
            try w.git(["--git-dir", gitDirectory, "cat-file", "--batch-all-objects", "--batch"]).stdout
        }
        let request = try run("edu1", ["personal", "request-deletion", "12345678", "--reason", "PDPA art. 11 request",
                                       "--out", w.directory.file("deletion.yaml")])
        #expect(request.status == 0, "\(request)")
        let unsigned = try w.webjcase(["personal", "delete", "deletion.yaml", "--repo", "root/edu.git"])
        #expect(unsigned.status == 1, "\(unsigned)")
        #expect(try w.webjcase(["sign", "deletion.yaml", "--key", "lin.admin"]).status == 0)
        #expect(try objects(w.directory.file("root/edu.personal.git")).contains("王小明"), "the value is there before")
        #expect(try objects(w.directory.file("edu2.work/.git/webjcase/personal.git")).contains("王小明"))
        let deleted = try w.webjcase(["personal", "delete", "deletion.yaml", "--repo", "root/edu.git"])
        #expect(deleted.status == 0 && deleted.stderr.contains("2 personal value(s) of 12345678 deleted"), "\(deleted)")
        #expect(!(try objects(w.directory.file("root/edu.personal.git"))).contains("王小明"), "pruned on the hub")
        let followed = try run("edu2", ["sync"])
        #expect(followed.status == 0, "\(followed)")
        let after = try run("edu2", ["personal", "check", "REG-2026-edu1-0001", "--json"])
        #expect(after.stdout.contains("\"withheld\"") && !after.stdout.contains("\"held\""), "\(after)")
        #expect(!(try objects(w.directory.file("edu2.work/.git/webjcase/personal.git"))).contains("王小明"), "pruned on the node")
        #expect(try run("edu2", ["verify"]).status == 0)
        #expect(hub.stop() == 0)
    }
}

/// Results of concurrent runs, by name.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: RunResult] = [:]
    func set(_ key: String, _ value: RunResult?) { lock.withLock { items[key] = value } }
    func get(_ key: String) -> RunResult? { lock.withLock { items[key] } }
}
