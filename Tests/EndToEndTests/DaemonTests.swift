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

// MARK: - the hub and its daemon

/// Whether this git has `git daemon`.
private let daemonAvailable: Bool = {
    guard let result = try? timedRun(gitBinary, ["--exec-path"], timeout: 10), result.status == 0 else { return false }
    return FileManager.default.isExecutableFile(atPath: result.stdout.trimmed + "/git-daemon")
}()

/// ssh-keygen signs the node's commits made with stock git; without it they stay unsigned
/// (the rule under test is refused all the same, beside S-COMMIT-SIGNATURE).
private let sshKeygen: String? = ["/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A workspace with a hub `hub.git` served by git daemon, and `work`, node edu1's clone of it
/// over git://. `foreignReviewer` adds hsu.reviewer, an authority reviewer of jurisdiction
/// social, to the policy.
private func withHub(foreignReviewer: Bool = false, _ body: (Hub) throws -> Void) throws {
    let w = try Workspace()
    if foreignReviewer {
        let made = try w.webjcase(["keys", "new", "hsu.reviewer"])
        guard made.status == 0 else { throw WorkspaceError(made) }
        let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
        try w.directory.write("policy.yaml", policy.trimmingCharacters(in: .newlines) + "\n"
            + "  - {name: \"hsu.reviewer\", key: \"\(w.publicKey("hsu.reviewer"))\", roles: [\"authority-reviewer\"], jurisdiction: \"social\"}\n")
    }
    let made = try w.webjcase(["init", "hub.git", "--bare", "--jurisdiction", "edu", "--name", "臺南市政府教育局", "--node", "edu1",
                               "--policy", "policy.yaml", "--key", "edu1"])
    guard made.status == 0 else { throw WorkspaceError(made) }
    let pin = made.stdout.trimmed

    let daemon = try Daemon.start(serving: w)
    defer { daemon.stop() }
    let hub = Hub(w: w, url: daemon.url(of: "hub.git"))
    let cloned = try hub.timed(webjcaseBinary, ["clone", hub.url, "work", "--node", "edu1", "--pin", pin, "--key", "edu1"],
                               environment: ["WEBJCASE_NOW": w.now])
    guard cloned.status == 0 else { throw SetupError("webjcase clone \(hub.url): \(cloned)") }
    try body(hub)
}

private struct Hub {
    let w: Workspace
    let url: String
    var canSign: Bool { sshKeygen != nil }

    /// git in the workspace, as `Workspace.git` runs it, with a time limit and no prompts.
    func git(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 30) throws -> Output {
        var env = ["GIT_CONFIG_NOSYSTEM": "1", "HOME": w.path, "GIT_TERMINAL_PROMPT": "0",
                   "GIT_AUTHOR_NAME": "Someone", "GIT_AUTHOR_EMAIL": "someone@example.org",
                   "GIT_COMMITTER_NAME": "Someone", "GIT_COMMITTER_EMAIL": "someone@example.org",
                   "GIT_AUTHOR_DATE": w.now, "GIT_COMMITTER_DATE": w.now]
        for (key, value) in environment { env[key] = value }
        return try timed(gitBinary, arguments, environment: env, timeout: timeout)
    }

    /// webjcase in the workspace at its time; a failure is thrown unless `check` is false.
    @discardableResult
    func webjcase(_ arguments: [String], check: Bool = true) throws -> Output {
        let result = try timed(webjcaseBinary, arguments, environment: ["WEBJCASE_NOW": w.now])
        if check, result.status != 0 { throw SetupError("webjcase \(arguments.joined(separator: " ")): \(result)") }
        return result
    }

    func timed(_ executable: String, _ arguments: [String], environment: [String: String], timeout: TimeInterval = 30) throws -> Output {
        try timedRun(executable, arguments, in: w.path, environment: environment, timeout: timeout)
    }

    func refs() throws -> String { try git(["--git-dir", "hub.git", "for-each-ref", "--format=%(refname) %(objectname)"]).stdout }
    func mainOfHub() throws -> String { try git(["--git-dir", "hub.git", "rev-parse", "main"]).stdout.trimmed }

    /// Stock git committing as node edu1 (`edu1 <edu1@edu.webjcase>`).
    var nodeIdentity: [String: String] {
        ["GIT_AUTHOR_NAME": "edu1", "GIT_AUTHOR_EMAIL": "edu1@edu.webjcase",
         "GIT_COMMITTER_NAME": "edu1", "GIT_COMMITTER_EMAIL": "edu1@edu.webjcase"]
    }

    /// `-c` options that make stock git sign with the node's key (SSH signatures).
    var nodeSigning: [String] {
        guard let sshKeygen else { return [] }
        return ["-c", "gpg.format=ssh", "-c", "gpg.ssh.program=\(sshKeygen)", "-c", "user.signingKey=\(w.directory.file("edu1"))"]
    }

    /// Commits the index of `work` with stock git, as the node would: its identity, its
    /// signature, the trailers of a step by the actor of the commit before (chen.clerk's
    /// `open`). Only the content is wrong.
    func commitAsTheNode(_ subject: String, action: String) throws {
        let actor = try git(["-C", "work", "log", "-1", "--format=%(trailers:key=Actor,valueonly)"]).stdout.trimmed
        let message = "\(subject)\n\nCase: REG-2026-edu1-0001\nAction: \(action)\nActor: \(actor)\n"
        let commit = try git(nodeSigning + ["-C", "work", "commit", "-q", "--no-verify"] + (canSign ? ["-S"] : []) + ["-m", message],
                             environment: nodeIdentity)
        guard commit.status == 0 else { throw SetupError("git commit: \(commit)") }
    }
}

/// `git daemon --enable=receive-pack` serving a workspace on a free port of 127.0.0.1.
private final class Daemon: @unchecked Sendable {
    let process: Process
    let port: UInt16
    let pidFile: String

    private init(process: Process, port: UInt16, pidFile: String) {
        self.process = process
        self.port = port
        self.pidFile = pidFile
    }

    /// Starts it and waits until it serves `hub.git`; a port taken in the meantime means another try.
    static func start(serving w: Workspace) throws -> Daemon {
        var lastLog = ""
        for attempt in 1...5 {
            let port = freePort() ?? UInt16.random(in: 20000...60000)
            let log = w.directory.file("daemon-\(attempt).log"), pidFile = w.directory.file("daemon-\(attempt).pid")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            var arguments = [gitBinary, "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--pid-file=\(pidFile)",
                             "--base-path=\(w.path)", "--export-all", "--enable=receive-pack", "--informative-errors", w.path]
            // Should this process die without stopping the daemon, `timeout` does it.
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout") {
                arguments = ["/usr/bin/timeout", "--kill-after=5", "300"] + arguments
            }
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            process.currentDirectoryURL = w.directory.url
            // The hub's hooks inherit this: its clock is the workspace's, its messages English.
            process.environment = cleanEnvironment(["GIT_CONFIG_NOSYSTEM": "1", "HOME": w.path, "WEBJCASE_NOW": w.now])
            process.standardInput = FileHandle.nullDevice
            let output = FileHandle(forWritingAtPath: log)
            process.standardOutput = output
            process.standardError = output
            try process.run()
            try? output?.close()
            let daemon = Daemon(process: process, port: port, pidFile: pidFile)
            // Ready when it serves the hub; gone when the port was taken in the meantime.
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline {
                if let probe = try? timedRun(gitBinary, ["ls-remote", daemon.url(of: "hub.git")], environment: ["HOME": w.path, "GIT_TERMINAL_PROMPT": "0"],
                                             timeout: 5),
                   probe.status == 0 {
                    return daemon
                }
                usleep(50_000)
            }
            daemon.stop()
            lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        throw SetupError("git daemon did not start: \(lastLog)")
    }

    func url(of repository: String) -> String { "git://127.0.0.1:\(port)/\(repository)" }

    /// Stops the daemon with SIGKILL: started from a test, it inherits the test thread's
    /// signal mask, which blocks SIGTERM (SigBlk in /proc/PID/status), so `terminate()` is
    /// never delivered and a `waitUntilExit()` after it waits forever. git-daemon goes
    /// first, so that its parents reap it and exit; whatever is left of `timeout`'s process
    /// group (the daemon, its git wrapper, its per-connection children) goes after.
    func stop() {
        if process.isRunning, let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmed), pid > 0 {
            kill(pid, SIGKILL)
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning, Date() < deadline { usleep(5_000) }
        }
        if process.isRunning {
            let leader = process.processIdentifier
            kill(-leader, SIGKILL)
            kill(leader, SIGKILL)
        }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if !process.isRunning { process.waitUntilExit() }
    }
}

// MARK: - processes with a time limit

private struct Output: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

private struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The environment of this process without git's and webjcase's variables, in English.
private func cleanEnvironment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") && $0.key != "WEBJCASE_NOW" }
    env["LANG"] = "C.UTF-8"
    env.removeValue(forKey: "LC_ALL")
    env.removeValue(forKey: "LC_MESSAGES")
    for (key, value) in extra { env[key] = value }
    return env
}

/// Runs a command to completion within `timeout` seconds: stdin /dev/null, output through
/// files. On the time limit it is killed and the run throws.
private func timedRun(_ executable: String, _ arguments: [String], in directory: String? = nil,
                      environment: [String: String] = [:], timeout: TimeInterval) throws -> Output {
    let scratch = try TemporaryDirectory("timed")
    let out = scratch.file("stdout"), err = scratch.file("stderr")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = cleanEnvironment(environment)
    process.standardInput = FileHandle.nullDevice
    let outHandle = FileHandle(forWritingAtPath: out), errHandle = FileHandle(forWritingAtPath: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    try? outHandle?.close()
    try? errHandle?.close()
    if done.wait(timeout: .now() + timeout) == .timedOut {
        // SIGKILL: SIGTERM may be blocked in the child (see `Daemon.stop`).
        kill(process.processIdentifier, SIGKILL)
        _ = done.wait(timeout: .now() + 5)
        throw SetupError("timed out after \(timeout) s: \(executable) \(arguments.joined(separator: " "))\n"
                         + (String(data: FileManager.default.contents(atPath: err) ?? Data(), encoding: .utf8) ?? ""))
    }
    process.waitUntilExit()
    return Output(status: process.terminationStatus,
                  stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
                  stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
}

/// A port of 127.0.0.1 that was free a moment ago (bound to port 0, then released).
private func freePort() -> UInt16? {
    #if os(Linux)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { return nil }
    let port = UInt16(bigEndian: address.sin_port)
    return port == 0 ? nil : port
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
