import Foundation
import CaseModel
import CaseRules

/// Where `next` reads a case's organization from: `main` here and, on a hub, `main` of the
/// other jurisdictions' repositories, each read once (their organizations' index cached:
/// the dossiers of every case ask it for each case).
struct NextSources {
    let snapshot: Snapshot
    let elsewhere: [Snapshot]
}

extension CaseRepository {
    /// What may happen next in a case at `time` (`webjcase next`): the case at `main`, the
    /// organization's cases here and, on a hub, in the other jurisdictions' repositories,
    /// judged as a step arriving then would be.
    public func next(_ id: CaseID, at time: Date) throws -> NextReport {
        let sources = try nextSources()
        guard let state = try sources.snapshot.caseState(id) else { throw CaseError(.caseNotFound, ["case": id.description]) }
        return try next(state, from: sources, at: time)
    }

    func nextSources() throws -> NextSources {
        let snapshot = try Snapshot(git: git, commit: try headID(), cache: SnapshotCache())
        let elsewhere = try elsewhere().compactMap { other in
            try other.reference(CaseRepository.mainRef).map { try Snapshot(git: other, commit: $0, cache: SnapshotCache()) }
        }
        return NextSources(snapshot: snapshot, elsewhere: elsewhere)
    }

    /// The same for a case already read.
    func next(_ state: CaseState, from sources: NextSources, at time: Date) throws -> NextReport {
        let settings = try sources.snapshot.settings()
        let context = RuleContext(jurisdiction: settings.config.jurisdiction, policy: settings.policy, keys: settings.keys,
                                  attachmentLimits: settings.config.attachments, now: time,
                                  futureTolerance: TimeInterval(settings.config.clockTolerance),
                                  calendar: try sources.snapshot.calendar())
        let organization = state.caseFile.organization
        let others = try ([sources.snapshot] + sources.elsewhere).flatMap { try $0.organizationCases(organization) }
        return NextSteps.report(CaseSituation(state: state, others: others, context: context), at: time)
    }
}
