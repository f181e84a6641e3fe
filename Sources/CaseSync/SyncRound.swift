import Foundation
import CaseStore
import CaseModel

/// One whole sync round of a node (`webjcase sync`): the case repository with the hub
/// (``SyncRunner``: fetch, verify, replay, push, retries), then the hub's clock against this
/// node's, the freshness of trust, the personal store, and repacking. The command line
/// only prints the ``Outcome``.
public enum SyncRound {
    public struct Outcome: Sendable {
        public var result: SyncRunner.Result
        /// This node's clock minus the hub's at the push (seconds), when it exceeds the
        /// repository's clock tolerance; nil when within it or nothing was pushed.
        public var clockSkew: (seconds: Int, tolerance: Int)?
        public var trust: TrustFreshness
        public var personal: PersonalSyncReport
        public var packs: Packs
    }

    public enum Packs: Sendable {
        case untouched
        /// Repacked: the count of packs there were.
        case repacked(Int)
        /// git failed to repack; the round goes on.
        case failed(count: Int, error: CaseError)
    }

    /// Runs a round holding the repository's write lock (`lock`). A hub whose history does
    /// not verify throws ``HubHistoryRefused``.
    public static func run(_ repository: CaseRepository, clock: any CaseClock, lock: WriteLock.Held,
                           options: SyncRunner.Options = SyncRunner.Options(),
                           progress: ((SyncProgress) -> Void)? = nil) throws -> Outcome {
        let result = try SyncRunner.run(repository, clock: clock, lock: lock, options: options, progress: progress)
        // The hub's clock, from the receipt of what was just pushed, against this node's.
        var skew: (seconds: Int, tolerance: Int)?
        let pushedAt = clock.now()
        if result.pushed, let hubTime = try? repository.hubTimeOfLastPush() {
            let seconds = pushedAt.timeIntervalSince(hubTime)
            let tolerance = TimeInterval(try repository.settings().config.clockTolerance)
            if abs(seconds) > tolerance { skew = (Int(seconds), Int(tolerance)) }
        }
        let trust = try repository.trustFreshness()
        let personal = try repository.syncPersonal(clock: clock, lock: lock)
        // A pack per fetch adds up: git packs them again past the limit (what it does on a hub).
        let packs: Packs
        do {
            packs = try repository.consolidatePacks(lock: lock).map(Packs.repacked) ?? .untouched
        } catch let error as CaseError {
            packs = .failed(count: (try? repository.packCount()) ?? 0, error: error)
        }
        return Outcome(result: result, clockSkew: skew, trust: trust, personal: personal, packs: packs)
    }
}
