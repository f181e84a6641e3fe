import Foundation
import CaseStore
#if canImport(Glibc)
import Glibc
#endif

/// A program serve starts (`git http-backend`, and through it git's hooks), with an empty
/// signal mask and SIGTERM, SIGINT, SIGHUP, SIGQUIT and SIGPIPE at their default actions.
///
/// A child inherits the mask of the thread that starts it, and serve's requests run on
/// libdispatch's worker threads, which block nearly every signal: started with Foundation's
/// `Process`, git and every hook under it ignored SIGTERM. Nothing of serve's open files
/// reaches the child but its standard input, output and error.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `program` to its end, its standard input, output and error from and to the files
    /// named; its exit status (128 + the signal's number when a signal ended it).
    static func run(_ program: String, _ arguments: [String], environment: [String: String],
                    input: String, output: String, errors: String) async throws -> Int32 {
        let pid = try spawn(program, arguments, environment: environment, input: input, output: output, errors: errors)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
        }
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later; Swift's Glibc does
    /// not declare it), else a close of each descriptor open now (glibc ignores those closed since).
    private static func closeTheRest(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let descriptor = Int32(name), descriptor > 2 { posix_spawn_file_actions_addclose(&actions, descriptor) }
        }
    }

    private static func spawn(_ program: String, _ arguments: [String], environment: [String: String],
                              input: String, output: String, errors: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_TRUNC, 0)
        closeTheRest(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t(), defaults = sigset_t()
        sigemptyset(&mask)
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failure(description: "\(program) could not be started: \(String(cString: strerror(result)))") }
        return pid
    }
}
