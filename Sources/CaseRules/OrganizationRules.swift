import Foundation
import CaseModel

/// What an organization is, derived by replaying its cases (DESIGN §5); never stored.
public enum OrganizationStatus: String, Sendable, CaseIterable {
    case none, active, paused, cancelled, suspended, terminated, revoked
}

public enum OrganizationHistory {
    /// The status after the approved application cases, in the order they were decided:
    /// REG makes active, PAU paused, CAN cancelled; CHG leaves it as it is. (Suspension,
    /// termination and revocation arrive with the enforcement workflow.)
    public static func status(_ cases: [OrganizationCase]) -> OrganizationStatus {
        var status = OrganizationStatus.none
        let decided = cases.filter { ApplicationWorkflow.state(after: $0.history) == .approved && $0.decidedAt != nil }
            .sorted { ($0.decidedAt!, $0.id) < ($1.decidedAt!, $1.id) }
        for application in decided {
            switch application.id.kind {
            case .registration: status = .active
            case .pause: status = .paused
            case .cancel: status = .cancelled
            default: break
            }
        }
        return status
    }

    /// Application cases still under way (not final).
    public static func open(_ cases: [OrganizationCase]) -> [OrganizationCase] {
        cases.filter { $0.id.kind.isApplication && !(ApplicationWorkflow.state(after: $0.history)?.isFinal ?? true) }
    }

    /// The statuses a kind of application may start from (points 4, 5 and 9).
    public static func allowedStatuses(for kind: CaseKind) -> Set<OrganizationStatus> {
        switch kind {
        case .registration: [.none, .paused, .cancelled, .suspended, .terminated, .revoked]
        case .change, .pause: [.active]
        case .cancel: [.active, .paused]
        case .audit, .enforcement, .revocation: Set(OrganizationStatus.allCases)
        }
    }
}

/// Cross-case rules, checked when an application case is opened.
public enum OrganizationRules {
    public static let all: [Rule] = [status, oneOpen]

    /// REG when the organization is not active; CHG and PAU when active; CAN when active or paused.
    static let status = Rule("P5-STATUS") { input, _ in
        guard input.opensCase, let cases = input.organization, let state = input.state, let step = input.step,
              state.caseFile.id.kind.isApplication else { return [] }
        let current = OrganizationHistory.status(cases)
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
              state.caseFile.id.kind.isApplication, let other = OrganizationHistory.open(cases).first else { return [] }
        return [StructureRules.refuse("P4-ONE-OPEN", step.path, .ruleOneOpenApplication, [
            "path": step.path, "organization": state.caseFile.organization, "other": other.id.description])]
    }
}
