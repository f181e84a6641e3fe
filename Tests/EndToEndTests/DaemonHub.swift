import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hub served by stock `git daemon --enable=receive-pack` on 127.0.0.1 and node edu1's
/// clone of it (`withHub`): what DaemonTests and AttackTests push through.

// MARK: - the hub and its daemon

/// Whether this git has `git daemon`.
let daemonAvailable: Bool = {
    guard let result = try? timedRun(gitBinary, ["--exec-path"], timeout: 10), result.status == 0 else { return false }
    return FileManager.default.isExecutableFile(atPath: result.stdout.trimmed + "/git-daemon")
}()

/// ssh-keygen signs the node's commits made with stock git; without it they stay unsigned
/// (the rule under test is refused all the same, beside S-COMMIT-SIGNATURE).
let sshKeygen: String? = ["/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A workspace with a hub `hub.git` served by git daemon, and `work`, node edu1's clone of it
/// over git://. `foreignReviewer` adds hsu.reviewer, an authority reviewer of jurisdiction
/// social, to the policy.
func withHub(foreignReviewer: Bool = false, _ body: (Hub) throws -> Void) throws {
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

struct Hub {
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

    /// webjcase in the workspace at its time (or `time`: the node's clock, the hub's stays);
    /// a failure is thrown unless `check` is false.
    @discardableResult
    func webjcase(_ arguments: [String], at time: String? = nil, check: Bool = true) throws -> Output {
        let result = try timed(webjcaseBinary, arguments, environment: ["WEBJCASE_NOW": time ?? w.now])
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
final class Daemon: @unchecked Sendable {
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
            process.environment = childEnvironment(["GIT_CONFIG_NOSYSTEM": "1", "HOME": w.path, "WEBJCASE_NOW": w.now])
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

struct Output: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion within `timeout` seconds: stdin /dev/null, output through
/// files. On the time limit it is killed and the run throws.
func timedRun(_ executable: String, _ arguments: [String], in directory: String? = nil,
                      environment: [String: String] = [:], timeout: TimeInterval) throws -> Output {
    let scratch = try TemporaryDirectory("timed")
    let out = scratch.file("stdout"), err = scratch.file("stderr")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = childEnvironment(environment)
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
func freePort() -> UInt16? {
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

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
