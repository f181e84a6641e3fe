import Foundation
import CaseModel

/// What an organization is, derived by replaying its cases (DESIGN §5); never stored.
public enum OrganizationStatus: String, Sendable, CaseIterable {
    case none, active, paused, cancelled, suspended, terminated, revoked
}

public enum OrganizationHistory {
    /// The status at `time`, replaying what its cases decided, in the order it took
    /// effect: an approved REG makes it active, PAU paused, CAN cancelled (CHG leaves it);
    /// a suspension (point 8) suspends it, and it stays suspended after improving (point
    /// 9: it must apply anew); a termination takes effect on the termination date; a
    /// revocation revokes the qualification.
    ///
    /// `received`: when the hub's view was taken (``RuleContext/viewTime``). Every step of
    /// `cases` was in that view, so none takes effect later than then, whatever its claim
    /// (a step claimed ahead within the clock tolerance was received all the same); a
    /// termination date the notice names stays when it is.
    public static func status(_ cases: [OrganizationCase], at time: Date = .distantFuture, received: Date? = nil) -> OrganizationStatus {
        var events: [(at: Date, id: CaseID, status: OrganizationStatus)] = []
        for organizationCase in cases {
            for step in organizationCase.steps {
                let status: OrganizationStatus?
                var at = min(step.at.date, received ?? .distantFuture)
                switch (organizationCase.id.kind, step.data) {
                case (.registration, .approve): status = .active
                case (.pause, .approve): status = .paused
                case (.cancel, .approve): status = .cancelled
                case (_, .suspend): status = .suspended
                case (_, .terminationNotice(let notice)):
                    status = .terminated
                    at = max(at, Deadlines.startOfDay(notice.terminationDate))
                case (_, .revoke): status = .revoked
                default: status = nil
                }
                if let status, at <= time { events.append((at, organizationCase.id, status)) }
            }
        }
        return events.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.last?.status ?? .none
    }

    /// Application cases still under way (not final).
    public static func openApplications(_ cases: [OrganizationCase]) -> [OrganizationCase] {
        cases.filter { $0.id.kind.isApplication && !$0.isFinal }
    }

    /// Enforcement cases still under way.
    public static func openEnforcement(_ cases: [OrganizationCase]) -> [OrganizationCase] {
        cases.filter { $0.id.kind == .enforcement && !$0.isFinal }
    }

    /// Cases that show an act of point 7 ¶1 the organization committed while it used the
    /// System, known before `time` (point 9 ¶2 「如曾於使用本系統期間內有第七點第一項行為之一者」):
    /// every enforcement case (its open step states the act verified, P7-GROUNDS, whatever
    /// measure followed or none), and every audit that closed finding a violation (its
    /// items are point 7's). `received` as in ``status(_:at:received:)``: a step the hub
    /// had received counts, whatever it claims.
    public static func pointSevenCases(_ cases: [OrganizationCase], before time: Date, received: Date? = nil) -> [OrganizationCase] {
        cases.filter { organizationCase in
            organizationCase.steps.contains { step in
                guard min(step.at.date, received ?? .distantFuture) <= time else { return false }
                switch (organizationCase.id.kind, step.data) {
                case (.enforcement, .open): return true
                case (.audit, .auditClose(let close)): return close.result == .violation
                default: return false
                }
            }
        }
    }

    /// The statuses a kind of application may start from (points 4, 5 and 9).
    public static func allowedStatuses(for kind: CaseKind) -> Set<OrganizationStatus> {
        switch kind {
        case .registration: [.none, .paused, .cancelled, .suspended, .terminated, .revoked]
        case .change, .pause: [.active]
        case .cancel: [.active, .paused, .suspended]
        case .audit, .enforcement: [.active, .paused, .suspended]
        case .revocation: Set(OrganizationStatus.allCases).subtracting([.none])
        }
    }
}

/// Cross-case rules, checked when a case is opened.
public enum OrganizationRules {
    public static let all: [Rule] = [status, oneOpen, openEnforcement]

    /// REG when the organization is not active; CHG and PAU when active; CAN when active,
    /// paused or suspended (point 5 speaks of 用戶, and a suspended user still is one); audits and enforcement of a user that holds the System; revocation of a
    /// qualification once granted.
    static let status = Rule("P5-STATUS") { input, context in
        guard input.opensCase, let cases = input.organization, let state = input.state, let step = input.step else { return [] }
        // As the hub saw the organization when the case reached it: a claim earlier than
        // that (a node may work offline) cannot go back to before another case's decision.
        let current = OrganizationHistory.status(cases, at: max(step.document.at.date, context.viewTime ?? .distantPast),
                                                 received: context.viewTime)
        let kind = state.caseFile.id.kind
        let allowed = OrganizationHistory.allowedStatuses(for: kind)
        guard !allowed.contains(current) else { return [] }
        return [StructureRules.refuse("P5-STATUS", step.path, .ruleOrganizationStatus, [
            "path": step.path, "organization": state.caseFile.organization, "status": current.rawValue, "kind": kind.rawValue,
            "allowed": allowed.map(\.rawValue).sorted().joined(separator: ", ")])]
    }

    /// One application case under way per organization.
    static let oneOpen = Rule("P4-ONE-OPEN") { input, _ in
        guard input.opensCase, let cases = input.organization, let state = input.state, let step = input.step,
              state.caseFile.id.kind.isApplication, let other = OrganizationHistory.openApplications(cases).first else { return [] }
        return [StructureRules.refuse("P4-ONE-OPEN", step.path, .ruleOneOpenApplication, [
            "path": step.path, "organization": state.caseFile.organization, "other": other.id.description])]
    }

    /// No registration while an enforcement case against the organization is under way
    /// (DESIGN §5), and no second enforcement case beside it.
    static let openEnforcement = Rule("P9-OPEN-ENFORCEMENT") { input, _ in
        guard input.opensCase, let cases = input.organization, let state = input.state, let step = input.step,
              [.registration, .enforcement].contains(state.caseFile.id.kind),
              let other = OrganizationHistory.openEnforcement(cases).first else { return [] }
        return [StructureRules.refuse("P9-OPEN-ENFORCEMENT", step.path, .ruleOpenEnforcement, [
            "path": step.path, "organization": state.caseFile.organization, "other": other.id.description])]
    }
}
