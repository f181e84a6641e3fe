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
/// status and peak resident memory (getrusage of the child) as JSON.
enum Measure {
    static func run(_ arguments: [String], stdin: String?) throws -> (ms: Double, maxRSSMB: Double, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let started = Date()
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        let ms = Date().timeIntervalSince(started) * 1000
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (ms, Double(usage.ru_maxrss) / 1024, process.terminationStatus)
    }
}
