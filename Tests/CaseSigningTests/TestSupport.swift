import Foundation

/// A temporary directory removed when the closure returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casesigning-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// The result of running a process.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Path of ssh-keygen on this machine.
let sshKeygenPath: String = ["/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen", "/opt/homebrew/bin/ssh-keygen"]
    .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/ssh-keygen"

/// Whether ssh-keygen is installed (interop tests are skipped without it).
let hasSSHKeygen = FileManager.default.isExecutableFile(atPath: sshKeygenPath)

/// Runs ssh-keygen with `arguments`, feeding `stdinFile` (or nothing) as standard input.
func sshKeygen(_ arguments: [String], stdinFile: URL? = nil, in directory: URL) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sshKeygenPath)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
    try process.run()
    // Outputs here are small; read both to EOF before waiting.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Writes `text` to `url` with the given POSIX mode.
func write(_ text: String, to url: URL, mode: Int) throws {
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
}

/// Reads a text file.
func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

/// The base64 field of an authorized_keys line.
func keyField(_ line: String) -> String {
    let fields = line.split(separator: " ")
    return fields.count > 1 ? String(fields[1]) : ""
}
