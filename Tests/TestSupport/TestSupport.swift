import Foundation

/// A directory under the system's temporary directory, removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "webjcase") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let path = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// What a process did.
public struct RunResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs `executable` to completion. Output goes through files, so a chatty process
/// cannot fill a pipe and hang.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil,
                       environment: [String: String] = [:], stdin: Data? = nil) throws -> RunResult {
    let scratch = try TemporaryDirectory("run")
    let out = scratch.file("stdout"), err = scratch.file("stderr"), input = scratch.file("stdin")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    _ = FileManager.default.createFile(atPath: input, contents: stdin ?? Data())
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = childEnvironment(environment)
    process.standardOutput = FileHandle(forWritingAtPath: out)
    process.standardError = FileHandle(forWritingAtPath: err)
    process.standardInput = FileHandle(forReadingAtPath: input)
    try process.run()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
                     stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
                     stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
}

/// The built `webjcase` binary: `WEBJCASE_BIN`, or the one beside the test bundle in the
/// build directory.
public let webjcaseBinary: String = {
    if let path = ProcessInfo.processInfo.environment["WEBJCASE_BIN"] { return path }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("webjcase").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("webjcase").path
}()

/// The `git` command.
public let gitBinary: String = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/git"

/// A working set-up for a test: keys for a node, a clerk, a reviewer, an admin and an
/// outsider; a policy naming all but the outsider; helpers to run webjcase and git.
public final class Workspace: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public var path: String { directory.path }
    /// Time the commands run at (`WEBJCASE_NOW`).
    public var now = "2026-03-02T10:00:00+08:00"

    public init() throws {
        directory = try TemporaryDirectory("webjcase-e2e")
        for name in ["edu1", "chen.clerk", "wang.reviewer", "lin.admin", "outsider"] {
            let result = try runProcess(webjcaseBinary, ["keys", "new", name], in: path)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
        try directory.write("policy.yaml", """
        kind: "policy"
        version: 1
        mode: "test"
        threshold: 1
        identities:
          - {name: "edu1", key: "\(publicKey("edu1"))", roles: ["agency-node"], jurisdiction: "edu"}
          - {name: "chen.clerk", key: "\(publicKey("chen.clerk"))", roles: ["clerk"], jurisdiction: "edu"}
          - {name: "wang.reviewer", key: "\(publicKey("wang.reviewer"))", roles: ["authority-reviewer"], jurisdiction: "edu"}
          - {name: "lin.admin", key: "\(publicKey("lin.admin"))", roles: ["admin"]}

        """)
        try directory.write("open.yaml", "subject: \"Registration of the Example Association\"\nletter: {number: \"南市例字第1150000123號\", date: 2026-02-27}\n")
        try directory.write("submit.yaml", "letter: {number: \"南市例字第1150000123號\", date: 2026-02-27}\n")
        try directory.write("correction.yaml", "items: [\"Annex 4 is not signed\"]\ncorrectBy: 2026-03-16\n")
        try directory.write("forward.yaml", "note: \"Registered in Tainan City under our jurisdiction.\"\n")
    }

    public func publicKey(_ name: String) -> String {
        (try? String(contentsOfFile: directory.file(name + ".pub"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Runs webjcase in the workspace.
    @discardableResult
    public func webjcase(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> RunResult {
        var env = ["WEBJCASE_NOW": now]
        for (key, value) in environment { env[key] = value }
        return try runProcess(webjcaseBinary, arguments, in: path, environment: env, stdin: stdin)
    }

    /// Runs git in the workspace.
    @discardableResult
    public func git(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        var env = ["GIT_CONFIG_NOSYSTEM": "1", "HOME": path, "GIT_AUTHOR_NAME": "Someone", "GIT_AUTHOR_EMAIL": "someone@example.org",
                   "GIT_COMMITTER_NAME": "Someone", "GIT_COMMITTER_EMAIL": "someone@example.org",
                   // Plain git commits happen at the workspace's time too.
                   "GIT_AUTHOR_DATE": now, "GIT_COMMITTER_DATE": now]
        for (key, value) in environment { env[key] = value }
        return try runProcess(gitBinary, arguments, in: path, environment: env)
    }

    /// `webjcase init` of repository `name` for jurisdiction edu, node edu1.
    /// Annex 1 of the Example Association as an applicant's software writes it, for
    /// `organization`, signed at `signedAt`: its personal fields as values (`sign` keeps them
    /// in the personal store and writes commitments) or, `committed`, as commitments already.
    public static func annex1(organization: String = "12345678", signedAt: String = "2026-03-02T09:00:00+08:00",
                              committed: Bool = false) -> String {
        let commitment = "\"sha256:\(String(repeating: "ab", count: 32))\""
        let contact = committed ? "{name: \(commitment), phone: \(commitment), email: \(commitment)}"
            : "{name: {value: \"王小明\"}, phone: {value: \"06-2991111\"}, email: {value: \"contact@example.org.tw\"}}"
        return """
        kind: "annex-1"
        format: 1
        organization: "\(organization)"
        application: {number: "例字第1150000001號", date: 2026-03-01}
        signedAt: \(signedAt)
        request: "registration"
        organizationName: "臺南市範例協會"
        registeredWith: "臺南市政府教育局"
        address: "臺南市安平區永華路二段6號"
        contact: \(contact)

        """
    }

    /// A repository `edu` with a work tree that trusts the test PKI `pki test-ca` makes here
    /// (`--org` each of `organizations`, `--staff` each of `staff`), and a REG case of
    /// 12345678 opened by chen.clerk (`open` adds arguments to `case open`); the clock then
    /// stands at 10:00 of the day.
    public func applicantRepository(organizations: [String], staff: [String] = [], open: [String] = []) throws {
        now = "2026-03-02T08:00:00+08:00"
        let pki = try webjcase(["pki", "test-ca", "pki"] + organizations.flatMap { ["--org", $0] } + staff.flatMap { ["--staff", $0] })
        guard pki.status == 0 else { throw WorkspaceError(pki) }
        try initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: directory.file("edu/trust/roots/webjcase-test-root.pem"))
        for arguments in [["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin", "--repo", "edu"],
                          ["trust", "commit", "trust/roots/webjcase-test-root.pem", "--repo", "edu"],
                          ["case", "open", "REG", "--org", "12345678"] + open + ["--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]] {
            let result = try webjcase(arguments)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
        now = "2026-03-02T10:00:00+08:00"
    }

    public func initRepository(_ name: String = "edu.git", bare: Bool = true) throws {
        let result = try webjcase(["init", name, "--jurisdiction", "edu", "--name", "臺南市政府教育局", "--node", "edu1",
                                   "--policy", "policy.yaml", "--key", "edu1"] + (bare ? ["--bare"] : []))
        guard result.status == 0 else { throw WorkspaceError(result) }
    }

    /// Every ref of a repository and what it points at (`git for-each-ref`).
    public func refs(_ repository: String = "edu.git") throws -> String {
        try git(["--git-dir", gitDirectory(repository), "for-each-ref", "--format=%(refname) %(objectname)"]).stdout
    }

    public func gitDirectory(_ repository: String) -> String {
        let dotGit = directory.file(repository + "/.git")
        return FileManager.default.fileExists(atPath: dotGit) ? dotGit : directory.file(repository)
    }
}

public struct WorkspaceError: Error, CustomStringConvertible {
    public let result: RunResult
    public init(_ result: RunResult) { self.result = result }
    public var description: String { "set-up failed: \(result)" }
}

/// This process's environment without git's variables and the clock, in English, plus `extra`.
public func childEnvironment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") && $0.key != "WEBJCASE_NOW" }
    env["LANG"] = "C.UTF-8"
    env.removeValue(forKey: "LC_ALL")
    env.removeValue(forKey: "LC_MESSAGES")
    for (key, value) in extra { env[key] = value }
    return env
}

/// Runs `executable` and kills it with SIGKILL after `delay` seconds unless it ended first:
/// whether it was killed, and its exit status otherwise.
public func runAndKill(_ executable: String, _ arguments: [String], in directory: String? = nil,
                       environment: [String: String] = [:], after delay: TimeInterval) throws -> (killed: Bool, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = childEnvironment(environment)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    if done.wait(timeout: .now() + delay) == .success {
        process.waitUntilExit()
        return (false, process.terminationStatus)
    }
    kill(process.processIdentifier, SIGKILL)
    done.wait()
    process.waitUntilExit()
    return (process.terminationReason == .uncaughtSignal, process.terminationStatus)
}

/// A small seeded generator (SplitMix64), so that a failing random run can be replayed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
