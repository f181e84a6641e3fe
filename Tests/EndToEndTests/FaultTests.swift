import Foundation
import Testing
import TestSupport

/// Contention and faults on loopback: agency nodes syncing at once through a proxy that
/// cuts and stalls their connections to `webjcase serve`, and a hub whose disk fills up.
/// No step may be lost or land twice, every failure must say what happened (and exit 3 or
/// 4, so that a clerk or a timer retries), and retries must converge.
///
/// `WEBJCASE_LONG=1` (`scripts/test --long`): 32 nodes of 3 steps each; the default suite 4
/// nodes of 2 steps. `WEBJCASE_SEED=N` replays a run's faults.
@Suite struct FaultTests {
    static let long = ProcessInfo.processInfo.environment["WEBJCASE_LONG"] == "1"

    @Test func nodesSyncingThroughAFaultyNetworkLoseAndDuplicateNothing() throws {
        let (nodes, steps) = Self.long ? (32, 3) : (4, 2)
        let seed = ProcessInfo.processInfo.environment["WEBJCASE_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("FaultTests.network: seed \(seed) (WEBJCASE_SEED=\(seed) replays it), \(nodes) nodes × \(steps) steps")
        let hub = try HubServeTests.ServedHub(agencies: nodes)
        defer { hub.stop() }
        let w = hub.w
        // A third of the connections cut somewhere in the answer, a sixth stalled for up to 2 s.
        let faults = LockedGenerator(seed: seed)
        let proxy = try FaultyProxy(upstream: UInt16(hub.port)) { _ in
            faults.next { random in
                switch Int.random(in: 0..<6, using: &random) {
                case 0, 1: .cut(afterBytes: Int.random(in: 0...400, using: &random))
                case 2: .stall(seconds: Double.random(in: 0.1...2, using: &random))
                default: .none
                }
            }
        }
        defer { proxy.stop() }

        let fingerprint = try hub.hubGit("edu.git", ["config", "webjcase.policy"]).stdout.trimmed
        let names = (1...nodes).map { "ag\($0)" }
        for node in names {
            let cloned = try w.webjcase(["clone", "http://127.0.0.1:\(hub.port)/edu.git", "\(node).work", "--node", node, "--pin", fingerprint,
                                         "--key", node, "--token-file", "\(node).token"])
            guard cloned.status == 0 else { throw WorkspaceError(cloned) }
            #expect(try w.git(["-C", "\(node).work", "config", "webjcase.hub", "http://127.0.0.1:\(proxy.port)/edu.git"]).status == 0)
            for step in 1...steps {
                let opened = try w.webjcase(["case", "open", "REG", "--org", "\(node.dropFirst(2))000\(step)", "--data", "open.yaml",
                                             "--key", "chen.clerk", "--repo", "\(node).work"])
                guard opened.status == 0 else { throw WorkspaceError(opened) }
            }
        }

        // Every node syncs at once, again and again until it succeeds, as a timer would.
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: nodes) { index in
            let node = names[index]
            for attempt in 1...40 {
                guard let run = try? w.webjcase(["sync", "--repo", "\(node).work"]) else { continue }
                if run.status == 0 {
                    outcomes.add(node, attempts: attempt, failure: nil)
                    return
                }
                outcomes.add(node, attempts: attempt, failure: run)
            }
        }
        let report = outcomes.snapshot()
        print("FaultTests.network: proxy faults \(proxy.counts); attempts per node: \(report.attempts.values.sorted()); exit codes of failed syncs: \(report.statuses)")
        for status in report.statuses.keys.sorted() {
            let sample = report.failures.first { $0.status == status }.map { $0.stderr.split(separator: "\n").joined(separator: " | ") } ?? ""
            print("FaultTests.network: exit \(status), e.g.: \(sample)")
        }
        #expect(report.succeeded.count == nodes, "nodes that never got through: \(Set(names).subtracting(report.succeeded).sorted())")
        for failure in report.failures {
            #expect([3, 4].contains(failure.status), "a failed sync must exit 3 (unreachable) or 4 (retry): \(failure)")
            #expect(!failure.stderr.isEmpty, "a failed sync must say why")
            #expect(!failure.stderr.contains("Fatal error"), "a sync crashed: \(failure)")
        }
        #expect(report.failures.count > 0, "the proxy made no sync fail: the faults were not exercised")

        // Every step on the hub, once; history linear; the hub verifies.
        let listing = try hub.hubGit("edu.git", ["ls-tree", "--name-only", "main"] + names.map { "cases/2026/\($0)/" }).stdout
        let cases = listing.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") }
        #expect(cases.count == nodes * steps && Set(cases).count == cases.count, "\(cases.count) cases for \(nodes * steps) steps")
        #expect(try hub.hubGit("edu.git", ["rev-list", "--merges", "main"]).stdout.isEmpty)
        let verify = try w.webjcase(["verify", "--repo", "root/edu.git"])
        #expect(verify.status == 0, "\(verify)")
    }

    /// A hub whose disk fills up: the push is refused with a clear error and nothing moves;
    /// once there is room again the same sync goes through. Needs a tmpfs (root, or a user
    /// namespace); skipped with a message where the environment allows neither.
    @Test func aFullDiskOnTheHubRefusesCleanlyAndRetriesConverge() throws {
        let hub = try HubServeTests.ServedHub()
        defer { hub.stop() }
        let w = hub.w
        let root = w.directory.file("root")
        // The hub's objects on a 3 MiB tmpfs (the repository's other files stay put).
        let objects = root + "/edu.git/objects"
        let saved = w.directory.file("objects.saved")
        try FileManager.default.moveItem(atPath: objects, toPath: saved)
        try FileManager.default.createDirectory(atPath: objects, withIntermediateDirectories: true)
        let mounted = try runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", objects])
        guard mounted.status == 0 else {
            try FileManager.default.removeItem(atPath: objects)
            try FileManager.default.moveItem(atPath: saved, toPath: objects)
            print("FaultTests.disk: skipped: cannot mount a tmpfs here (\(mounted.stderr.trimmed))")
            return
        }
        defer { _ = try? runProcess("/bin/umount", ["-l", objects]) }
        #expect(try runProcess("/bin/cp", ["-a", saved + "/.", objects]).status == 0)

        try hub.cloneNodes(["edu1"])
        // A step with a 4 MiB attachment (random, so that it does not compress): more than the disk holds.
        var noise = Data(count: 4 << 20)
        for index in noise.indices { noise[index] = UInt8.random(in: 0...255) }
        try (Data("%PDF-1.4\n".utf8) + noise).write(to: URL(fileURLWithPath: w.directory.file("big.pdf")))
        try w.directory.write("submit.yaml", "letter: {number: \"1\", date: 2026-02-27}\n")
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu1.work"]).status == 0)
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--attach", "big.pdf",
                                "--repo", "edu1.work"]).status == 0)
        let before = try hub.hubGit("edu.git", ["for-each-ref"]).stdout

        let full = try w.webjcase(["sync", "--repo", "edu1.work"])
        #expect(full.status != 0, "\(full)")
        #expect([1, 3, 4].contains(full.status), "a full disk is a refusal to retry, not a crash: \(full)")
        #expect(!full.stderr.isEmpty, "\(full)")
        #expect(try hub.hubGit("edu.git", ["for-each-ref"]).stdout == before, "the hub's refs moved")
        #expect(try hub.hubGit("edu.git", ["fsck", "--strict", "--no-dangling", "--no-progress"]).status == 0)
        print("FaultTests.disk: a sync to a full hub: exit \(full.status): \(full.stderr.split(separator: "\n").first ?? "")")

        // Room again: the same sync lands both steps, once.
        #expect(try runProcess("/bin/mount", ["-o", "remount,size=64m", objects]).status == 0)
        let retried = try w.webjcase(["sync", "--repo", "edu1.work"])
        #expect(retried.status == 0, "\(retried)")
        #expect(try hub.hubGit("edu.git", ["rev-parse", "main"]).stdout == (try w.git(["-C", "edu1.work", "rev-parse", "main"])).stdout)
        let verify = try w.webjcase(["verify", "--repo", "root/edu.git"])
        #expect(verify.status == 0, "\(verify)")
    }
}

/// A seeded generator several threads draw from.
final class LockedGenerator: @unchecked Sendable {
    private var generator: SeededGenerator
    private let lock = NSLock()
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    func next<T>(_ body: (inout SeededGenerator) -> T) -> T { lock.withLock { body(&generator) } }
}

/// What each node's syncs did.
final class Outcomes: @unchecked Sendable {
    struct Report {
        var attempts: [String: Int] = [:]
        var succeeded: Set<String> = []
        var failures: [RunResult] = []
        var statuses: [Int32: Int] = [:]
    }
    private var report = Report()
    private let lock = NSLock()

    func add(_ node: String, attempts: Int, failure: RunResult?) {
        lock.withLock {
            report.attempts[node] = attempts
            if let failure {
                report.failures.append(failure)
                report.statuses[failure.status, default: 0] += 1
            } else {
                report.succeeded.insert(node)
            }
        }
    }

    func snapshot() -> Report { lock.withLock { report } }
}
