import Foundation
import CaseModel
import CaseSigning

/// Where an application case (REG, CHG, PAU, CAN) stands: DESIGN §5, points 4 and 5.
public enum ApplicationState: String, Sendable, CaseIterable {
    case opened
    case submitted
    case initialCorrection = "correction-requested-initial"
    case forwarded
    case secondaryCorrection = "correction-requested-secondary"
    case approved
    case rejected
    case transferred
    case withdrawn

    public var isFinal: Bool {
        switch self {
        case .approved, .rejected, .transferred, .withdrawn: true
        default: false
        }
    }
}

/// The application workflow of points 4 and 5: initial review by the competent
/// authority, secondary review by the Centre, corrections, refusal, transfer, withdrawal.
public enum ApplicationWorkflow {
    /// The state after `action` in `state`, or nil when the action may not follow.
    public static func next(_ state: ApplicationState, _ action: Action) -> ApplicationState? {
        switch (state, action) {
        case (.opened, .submit): .submitted
        case (.submitted, .initialForward): .forwarded
        case (.submitted, .initialCorrection): .initialCorrection
        case (.submitted, .initialReject), (.initialCorrection, .initialReject): .rejected
        case (.submitted, .initialTransfer): .transferred
        case (.initialCorrection, .correct): .submitted
        case (.forwarded, .secondaryApprove): .approved
        case (.forwarded, .secondaryCorrection): .secondaryCorrection
        case (.forwarded, .secondaryReject), (.secondaryCorrection, .secondaryReject): .rejected
        case (.secondaryCorrection, .correct): .forwarded
        case (let state, .withdraw) where !state.isFinal: .withdrawn
        default: nil
        }
    }

    /// Replays a case's actions from its `open`; nil when the history breaks the workflow.
    public static func state(after actions: [Action]) -> ApplicationState? {
        guard actions.first == .open else { return nil }
        var state = ApplicationState.opened
        for action in actions.dropFirst() {
            guard let next = next(state, action) else { return nil }
            state = next
        }
        return state
    }

    /// The actions that may follow `state`.
    public static func allowed(after state: ApplicationState) -> [Action] {
        Action.allCases.filter { next(state, $0) != nil }
    }

    /// Who may record `action` (DESIGN §4): clerks record what arrives, the competent
    /// authority reviews first, the Centre second.
    public static func roles(for action: Action) -> Set<Role> {
        switch action {
        case .open, .submit, .correct, .withdraw: [.clerk]
        case .initialForward, .initialCorrection, .initialReject, .initialTransfer: [.authorityReviewer]
        case .secondaryApprove, .secondaryCorrection, .secondaryReject: [.centreReviewer]
        }
    }
}

/// The workflow layer of the validator for application cases (points 4 and 5).
public enum WorkflowRules {
    public static let all: [Rule] = [order, role, correctBy, transfer]

    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        StructureRules.refuse(rule, path, id, arguments)
    }

    static let order = Rule("P4-ORDER") { input, _ in
        guard let step = input.step, let state = input.state, state.caseFile.id.kind.isApplication,
              step.document.action != .open, !input.opensCase else { return [] }
        guard let current = ApplicationWorkflow.state(after: state.history) else {
            return [refuse("P4-ORDER", step.path, .ruleHistoryReplay, [
                "path": step.path, "history": state.history.map(\.rawValue).joined(separator: " → ")])]
        }
        if current.isFinal { return [] }  // S-FINAL says it
        guard ApplicationWorkflow.next(current, step.document.action) == nil else { return [] }
        let allowed = ApplicationWorkflow.allowed(after: current).map { "`\($0.rawValue)`" }.joined(separator: ", ")
        return [refuse("P4-ORDER", step.path, .ruleWorkflowOrder, [
            "path": step.path, "action": step.document.action.rawValue, "state": current.rawValue, "allowed": allowed])]
    }

    static let role = Rule("P4-ROLE") { input, context in
        guard let step = input.step, let state = input.state, state.caseFile.id.kind.isApplication,
              case .verified(let signature) = step.signature, let identity = context.keys.identity(for: signature) else { return [] }
        let needed = ApplicationWorkflow.roles(for: step.document.action)
        guard needed.isDisjoint(with: identity.roles) else { return [] }
        return [refuse("P4-ROLE", step.path, .ruleWorkflowRole, [
            "path": step.path, "name": identity.name, "action": step.document.action.rawValue,
            "roles": needed.map(\.rawValue).sorted().joined(separator: ", ")])]
    }

    /// A correction request gives a date to correct by that is after the request.
    static let correctBy = Rule("P4-CORRECT-BY") { input, _ in
        guard let step = input.step, case .correctionRequest(let request) = step.document.data else { return [] }
        let requested = CalendarDate(step.document.at.date)
        guard request.correctBy <= requested else { return [] }
        return [refuse("P4-CORRECT-BY", step.path, .ruleCorrectBy, [
            "path": step.path, "date": request.correctBy.description, "requested": requested.description])]
    }

    /// A case outside the authority's jurisdiction goes to another, existing jurisdiction.
    static let transfer = Rule("P4-TRANSFER") { input, context in
        guard let step = input.step, case .transfer(let transfer) = step.document.data,
              !NodeName.isValid(transfer.to) || transfer.to == context.jurisdiction else { return [] }
        return [refuse("P4-TRANSFER", step.path, .ruleTransferTarget, ["path": step.path, "to": transfer.to, "jurisdiction": context.jurisdiction])]
    }
}
