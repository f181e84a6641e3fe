import CaseModel
import CaseStore
import Foundation

/// A hub's receive hooks judge what strangers push, so each runs as a worker under a
/// supervisor: the worker's output reaches the pusher only when the worker ended by itself
/// (a verdict, or an error it explains); a worker that crashed (a stack overflow, a failed
/// precondition) or ran past its budget is killed, what it printed goes to the hub's log
/// (`<git dir>/webjcase/hook.log`), and the pusher gets one line naming the rule, never a
/// backtrace with the hub's paths.
///
/// The budget: `webjcase.hookSeconds` in the repository's config, else
/// `WEBJCASE_HOOK_SECONDS`, else ``defaultSeconds``; both wall-clock time (the supervisor
/// kills the worker) and CPU time (the worker's own RLIMIT_CPU).
enum HookSupervisor {
    static let workerVariable = "WEBJCASE_HOOK_WORKER"
    static let defaultSeconds = 300
    /// The most of a worker's output passed on or logged.
    static let outputLimit = 1 << 20

    /// In a worker: the CPU budget, as the supervisor set it. Returns false in the supervisor.
    static func isWorker(_ environment: [String: String]) -> Bool {
        guard let seconds = environment[workerVariable].flatMap(Int.init), seconds > 0 else { return false }
        var limit = rlimit(rlim_cur: rlim_t(seconds), rlim_max: rlim_t(seconds + 5))
        _ = setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
        return true
    }

    /// Runs this very command again as a worker and ends with its status; never returns.
    static func supervise(environment: [String: String], gitDirectory: String?) -> Never {
        let seconds = budget(environment: environment, gitDirectory: gitDirectory)
        var childEnvironment = environment
        childEnvironment[workerVariable] = "\(seconds)"
        // The Swift runtime's backtracer would print the hub's paths; the log gets the crash.
        childEnvironment["SWIFT_BACKTRACE"] = "enable=no"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = Array(CommandLine.arguments.dropFirst())
        process.environment = childEnvironment
        process.standardInput = FileHandle.standardInput
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = Collected()
        let reader = Thread {
            let handle = pipe.fileHandleForReading
            while let chunk = try? handle.read(upToCount: 64 << 10), !chunk.isEmpty { output.append(chunk) }
            output.end()
        }
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do {
            try process.run()
        } catch {
            say(Message(.hookInternal, ["what": "the worker did not start"]))
            exit(ExitStatus.ruleBroken.rawValue)
        }
        reader.start()
        // A signal that would end the supervisor (git's or serve's SIGTERM) ends the worker first.
        let forwarded = [SIGTERM, SIGINT, SIGHUP].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let worker = process.processIdentifier
            source.setEventHandler {
                kill(worker, number)
                exit(128 + number)
            }
            source.resume()
            return source
        }
        var timedOut = false
        withExtendedLifetime(forwarded) {
            if ended.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
            }
        }
        try? pipe.fileHandleForWriting.close()
        output.waitForEnd()
        let status = process.terminationStatus
        let signalled = process.terminationReason == .uncaughtSignal
        if !timedOut && !signalled {
            FileHandle.standardError.write(output.data)
            exit(status)
        }
        let what = timedOut ? "time" : signalled && status == SIGXCPU ? "cpu" : "signal \(status)"
        log(output.data, what: what, gitDirectory: gitDirectory)
        if CommandLine.arguments.contains("post-receive") {
            // After the refs moved: the push stands, its receipt is what is missing.
            say(Message(.hookReceiptFailed, ["what": what]))
        } else if timedOut || (signalled && status == SIGXCPU) {
            say(Message(.hookTimeBudget, ["seconds": "\(seconds)"]))
        } else {
            say(Message(.hookInternal, ["what": what]))
        }
        exit(ExitStatus.ruleBroken.rawValue)
    }

    static func budget(environment: [String: String], gitDirectory: String?) -> Int {
        if let gitDirectory, let configured = CaseRepository.hookSeconds(gitDirectory: gitDirectory) { return configured }
        if let value = environment["WEBJCASE_HOOK_SECONDS"].flatMap(Int.init), value > 0 { return value }
        return defaultSeconds
    }

    /// Every line in both languages: the pusher's language is not known to the hub.
    static func say(_ message: Message) {
        FileHandle.standardError.write(Data((message.render(.en) + "\n" + message.render(.zhTW) + "\n").utf8))
    }

    private static func log(_ output: Data, what: String, gitDirectory: String?) {
        let directory = ((gitDirectory ?? ".") as NSString).appendingPathComponent("webjcase")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("hook.log")
        let header = "\(Timestamp(Date()).text) hook \(CommandLine.arguments.dropFirst().joined(separator: " ")) ended: \(what)\n"
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data(header.utf8) + output + Data("\n".utf8))
    }

    /// A worker's output, read on its own thread, kept up to ``outputLimit``.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        private let ended = DispatchSemaphore(value: 0)

        func append(_ chunk: Data) {
            lock.withLock {
                if bytes.count < HookSupervisor.outputLimit { bytes.append(chunk.prefix(HookSupervisor.outputLimit - bytes.count)) }
            }
        }

        var data: Data { lock.withLock { bytes } }

        func end() { ended.signal() }

        /// Waits until the reader saw the end of the pipe (at most two seconds: a process the
        /// worker started may still hold it).
        func waitForEnd() { _ = ended.wait(timeout: .now() + .seconds(2)) }
    }
}
