import Foundation
import GitKit
import Testing

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gitkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func sub(_ name: String) -> String { path + "/" + name }
}

/// Runs `body` with a fresh temporary directory and removes it afterwards.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try body(directory)
}

/// Runs `body` with a new repository in a fresh temporary directory.
func withRepository<T>(bare: Bool = true, _ body: (Repository, String) throws -> T) throws -> T {
    try withTemporaryDirectory { directory throws in
        let path = directory.sub("repo")
        return try body(try Repository.create(at: path, bare: bare), path)
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// Output and exit status of the git command line, isolated from the user's config and from any GIT_* variable
/// another test may have set in this process.
func gitStatus(
    _ arguments: [String], in directory: String? = nil, environment extra: [String: String] = [:], input: Data? = nil
) throws
    -> (status: Int32, output: String, error: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = (directory.map { ["-C", $0] } ?? []) + arguments
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    environment["GIT_AUTHOR_NAME"] = "Test"
    environment["GIT_AUTHOR_EMAIL"] = "test@example.org"
    environment["GIT_COMMITTER_NAME"] = "Test"
    environment["GIT_COMMITTER_EMAIL"] = "test@example.org"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let standardInput = Pipe()
    process.standardInput = standardInput
    try process.run()
    // Small inputs only: written before the output is read.
    if let input { standardInput.fileHandleForWriting.write(input) }
    try standardInput.fileHandleForWriting.close()
    // Read before waiting so a large output cannot block the child; git's stderr here stays small.
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

/// Output of a git command that must succeed.
@discardableResult
func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], input: Data? = nil) throws -> String {
    let result = try gitStatus(arguments, in: directory, environment: environment, input: input)
    guard result.status == 0 else {
        throw CommandFailure(description: "git \(arguments.joined(separator: " ")) exited \(result.status): \(result.error)")
    }
    return result.output
}

let testAuthor = Signature(name: "Ada Author", email: "ada@example.org", time: Date(timeIntervalSince1970: 1_700_000_000), timeZoneOffsetMinutes: 60)
let testCommitter = Signature(name: "Carl Committer", email: "carl@example.org", time: Date(timeIntervalSince1970: 1_700_000_100), timeZoneOffsetMinutes: -300)

extension Repository {
    /// A blob holding `text`.
    func blob(text: String) throws -> ObjectID { try writeBlob(Data(text.utf8)) }

    /// A tree with `files` (path: content) as regular files.
    func tree(_ files: [String: String], base: ObjectID? = nil) throws -> ObjectID {
        let changes = try files.map { path, content in TreeChange.set(path: path, id: try blob(text: content), mode: .blob) }
        return try buildTree(base: base, changes: changes)
    }

    /// An unsigned commit of `tree` at `second` seconds after the test epoch.
    func commit(tree: ObjectID, parent: ObjectID?, message: String = "Change\n", second: Int = 0) throws -> ObjectID {
        var committer = testCommitter
        committer.time = committer.time.addingTimeInterval(TimeInterval(second))
        return try createCommit(tree: tree, parent: parent, author: testAuthor, committer: committer, message: message, sign: nil)
    }
}

/// Non-empty lines.
func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init)
}
