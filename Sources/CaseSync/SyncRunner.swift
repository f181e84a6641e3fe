import Foundation
import CaseModel
import CaseStore
internal import GitKit

/// `webjcase sync`: fetch, validate, replay, push; on a lost race, again after a jittered
/// exponential backoff, within a budget (DESIGN §7).
public enum SyncRunner {
    public struct Options: Sendable {
        /// Pushes lost to another node before giving up (exit 4).
        public var retryBudget: Int
        public var baseDelay: TimeInterval
        public var maxDelay: TimeInterval

        public init(retryBudget: Int = 40, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 2) {
            self.retryBudget = retryBudget
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }
    }

    public struct Result: Sendable {
        public var report = SyncReport()
        /// Pushes refused because another node had pushed first.
        public var retries = 0
        public var pushed = false
        public var remoteMessages = ""
    }

    public static func run(_ repository: CaseRepository, clock: any CaseClock, lock: WriteLock.Held, options: Options = Options(),
                           progress: ((SyncProgress) -> Void)? = nil) throws -> Result {
        var result = Result()
        while true {
            try repository.fetchHub(progress: progress)
            let report = try repository.integrateIncoming(clock: clock, lock: lock)
            result.report.received += report.received
            // A lost race replays the same local steps again on the new tip: what was pushed is
            // the last round's replay, not the sum of them.
            result.report.replayed = report.replayed
            result.report.conflicts += report.conflicts
            guard try repository.hasUnpushedCommits() else { return result }
            switch try repository.pushHub(lock: lock, progress: progress) {
            case .accepted(let messages):
                result.pushed = true
                result.remoteMessages = messages
                return result
            case .refused(let messages):
                throw CaseError(.syncRefused, ["messages": messages.trimmingCharacters(in: .whitespacesAndNewlines)], status: .ruleBroken)
            case .behind:
                result.retries += 1
                guard result.retries <= options.retryBudget else {
                    throw CaseError(.syncBudget, ["count": "\(result.retries)"], status: .conflict)
                }
                let ceiling = min(options.maxDelay, options.baseDelay * pow(2, Double(result.retries - 1)))
                Thread.sleep(forTimeInterval: Double.random(in: ceiling / 2...ceiling))
            }
        }
    }
}
