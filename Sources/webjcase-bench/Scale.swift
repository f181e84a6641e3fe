import CaseSigning
import Crypto
import _CryptoExtras
import Foundation

/// `webjcase-bench limit`: the raw swift-crypto verification rate of each algorithm, every
/// core verifying at once, and from it the most commits per second a verifier could
/// reach on this machine for a history's mix of signatures (the reference `verify` is
/// measured against, in the same run).
enum RawLimit {
    struct Output: Codable {
        var cores: Int
        var ed25519PerSecond: Double
        var p256PerSecond: Double
        var rsa2048PerSecond: Double
        var commitsPerSecond: Double
        var signaturesPerSecond: Double
    }

    /// `counts`: signatures of each algorithm in `commits` commits.
    static func measure(commits: Int, ed25519: Int, p256: Int, rsa: Int, seconds: Double) throws -> Output {
        let message = Data((0..<2_048).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let ed = Curve25519.Signing.PrivateKey()
        let edSignature = try ed.signature(for: message)
        let p = P256.Signing.PrivateKey()
        let pSignature = try p.signature(for: message)
        let r = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rSignature = try r.signature(for: message, padding: .insecurePKCS1v1_5)
        func allCores(_ check: @escaping @Sendable () -> Bool) -> Double {
            let counts = LockedCounts(cores)
            let deadline = Date().addingTimeInterval(seconds)
            let started = Date()
            DispatchQueue.concurrentPerform(iterations: cores) { core in
                var done = 0
                while Date() < deadline {
                    for _ in 0..<16 { precondition(check()) }
                    done += 16
                }
                counts.set(core, done)
            }
            return Double(counts.total) / Date().timeIntervalSince(started)
        }
        let edPublic = ed.publicKey, pPublic = p.publicKey, rPublic = r.publicKey
        let edRate = allCores { edPublic.isValidSignature(edSignature, for: message) }
        let pRate = allCores { pPublic.isValidSignature(pSignature, for: message) }
        let rRate = allCores { rPublic.isValidSignature(rSignature, for: message, padding: .insecurePKCS1v1_5) }
        let secondsForAll = Double(ed25519) / edRate + Double(p256) / pRate + Double(rsa) / rRate
        return Output(cores: cores, ed25519PerSecond: edRate, p256PerSecond: pRate, rsa2048PerSecond: rRate,
                      commitsPerSecond: Double(commits) / secondsForAll,
                      signaturesPerSecond: Double(ed25519 + p256 + rsa) / secondsForAll)
    }
}

final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]
    init(_ n: Int) { counts = Array(repeating: 0, count: n) }
    func set(_ index: Int, _ value: Int) { lock.withLock { counts[index] = value } }
    var total: Int { lock.withLock { counts.reduce(0, +) } }
}

/// `webjcase-bench measure -- COMMAND …`: runs the command, prints its wall time, exit
/// status and peak resident memory as JSON. posix_spawn and wait4, not Foundation's
/// Process, whose wait polls (its times came in steps of 50 ms).
enum Measure {
    static func run(_ arguments: [String], stdin: String?) throws -> (ms: Double, maxRSSMB: Double, status: Int32) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var input: [Int32] = [0, 0]
        if stdin != nil {
            guard pipe(&input) == 0 else { throw SyntheticError.data("pipe") }
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_addclose(&actions, input[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = DispatchTime.now()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw SyntheticError.data("posix_spawn \(arguments[0]): \(spawned)") }
        if let stdin {
            close(input[0])
            _ = stdin.utf8CString.withUnsafeBufferPointer { write(input[1], $0.baseAddress, $0.count - 1) }
            close(input[1])
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let ms = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (ms, Double(usage.ru_maxrss) / 1024, exit)
    }
}
