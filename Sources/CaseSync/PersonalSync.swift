import Foundation
import CaseStore
internal import GitKit
import CaseModel
import CaseSigning

/// What one sync did with the personal store.
public struct PersonalSyncReport: Sendable {
    /// Values the hub had that this node did not.
    public var received = 0
    /// Values this node had that the hub did not.
    public var sent = 0
}

extension CaseRepository {
    /// The hub's personal store beside the case repository's URL: `…/edu.git` → `…/edu.personal.git`.
    static func personalURL(_ url: String) -> String { HubLayout.personalURL(ofCaseURL: url) }

    /// Carries the personal store both ways: the hub's entries come in, this node's go out
    /// (DESIGN §2). Entries are files named by their commitment, so joining two stores is a
    /// union of trees; the joined tree is committed on top of the hub's and pushed.
    public func syncPersonal(clock: any CaseClock, lock: WriteLock.Held, attempts: Int = 20) throws -> PersonalSyncReport {
        requireHeld(lock)
        let (url, credentials) = try hubCredentials()
        let remote = Self.personalURL(url)
        guard let store = try PersonalStore.open(for: self, create: true) else { return PersonalSyncReport() }
        let git = store.git
        let node = try nodeConfig()
        for attempt in 1...attempts {
            var report = PersonalSyncReport()
            do {
                try git.fetch(url: remote, refspecs: ["+\(PersonalStore.ref):\(Self.incomingRef)"], credentials: credentials)
            } catch let error as GitError where error.message.contains("not found") || error.code == .notFound {
                // An empty store on the hub advertises no main: nothing to take.
            } catch let error as GitError {
                throw CaseError(.repoUnreachable, ["url": remote, "detail": error.message], status: .unreachable)
            }
            let incoming = try git.reference(Self.incomingRef)
            let local = try git.reference(PersonalStore.ref)
            let theirs = try incoming.map { try Self.entries(git, commit: $0) } ?? [:]
            let mine = try local.map { try Self.entries(git, commit: $0) } ?? [:]
            // Values the admins had deleted on the hub go here too, and never back.
            let deleted = try incoming.map { try Self.tombstones(git, commit: $0) } ?? []
            let missing = mine.filter { theirs[$0.key] == nil && !deleted.contains($0.key) }
            let forgotten = mine.keys.contains { deleted.contains($0) }
            report.received = theirs.keys.filter { mine[$0] == nil }.count
            report.sent = missing.count
            var tip = incoming
            if !missing.isEmpty {
                let tree = try git.buildTree(base: try incoming.map { try git.commit($0).tree },
                                             changes: missing.map { .set(path: $0.key, id: $0.value, mode: .blob) })
                let key = try loadKey(node.keyPath)
                tip = try NodeCommitWriter.commit(in: git, tree: tree, parent: incoming,
                                                  message: NodeCommitWriter.message("personal: \(missing.count) value(s) from \(node.name)"),
                                                  author: .personal(node.name), time: clock.now(), key: key)
            }
            guard let tip else { return report }
            if tip != local {
                try git.updateReference(PersonalStore.ref, to: tip, expected: local, message: "webjcase: personal sync")
            }
            if forgotten { try Self.prune(git.gitDirectory) }
            guard !missing.isEmpty else { return report }
            let outcome: PushOutcome
            do {
                outcome = try git.push(url: remote, refspec: "\(PersonalStore.ref):\(PersonalStore.ref)", credentials: credentials)
            } catch let error as GitError where error.code == .nonFastForward {
                if attempt < attempts { Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.3)); continue }
                throw CaseError(.syncBudget, ["count": "\(attempts)"], status: .conflict)
            } catch let error as GitError {
                throw CaseError(.repoUnreachable, ["url": remote, "detail": error.message], status: .unreachable)
            }
            guard let rejection = outcome.rejection else { return report }
            if !Self.lostRace(outcome) {
                throw CaseError(.syncRefused, ["messages": (outcome.remoteMessages + rejection).trimmingCharacters(in: .whitespacesAndNewlines)],
                                status: .ruleBroken)
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.3))
        }
        throw CaseError(.syncBudget, ["count": "\(attempts)"], status: .conflict)
    }

}
