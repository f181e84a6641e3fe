/// The steps a case can record (DESIGN §5). A closed list: an unknown action is refused,
/// never stored as free text.
public enum Action: String, Sendable, Codable, CaseIterable {
    // Every case
    case open
    // Applications (points 4 and 5)
    case submit
    case initialForward = "initial.forward"
    case initialCorrection = "initial.correction"
    case initialReject = "initial.reject"
    case initialTransfer = "initial.transfer"
    case correct
    case reapplicationEvaluation = "reapplication.evaluation"
    case secondaryApprove = "secondary.approve"
    case secondaryCorrection = "secondary.correction"
    case secondaryReject = "secondary.reject"
    case withdraw
    // Audits (point 6)
    case auditFinding = "audit.finding"
    case auditClose = "audit.close"
    // Enforcement (points 7 and 8)
    case suspend
    case improvementReport = "improvement.report"
    case phoneConfirmation = "improvement.phone-confirmation"
    case extensionRequest = "extension.request"
    case extensionDecision = "extension.decision"
    case tracking
    case resolve
    case terminationNotice = "termination.notice"
    case serviceDisabled = "archives.service-disabled"
    /// The Centre closes an enforcement case without (further) measure: point 7 says it
    /// *may* suspend or terminate, and a user that cancelled its use leaves nothing to enforce.
    case enforcementClose = "enforcement.close"
    // Revocation of a user's qualification (points 4 and 5)
    case revoke

    /// Whether a case of `kind` can record this action.
    public func applies(to kind: CaseKind) -> Bool {
        switch self {
        case .open: true
        case .reapplicationEvaluation: kind == .registration
        case .submit, .initialForward, .initialCorrection, .initialReject, .initialTransfer, .correct,
             .secondaryApprove, .secondaryCorrection, .secondaryReject, .withdraw: kind.isApplication
        case .auditFinding, .auditClose: kind == .audit
        case .suspend, .improvementReport, .phoneConfirmation, .extensionRequest, .extensionDecision, .tracking,
             .resolve, .terminationNotice, .serviceDisabled, .enforcementClose: kind == .enforcement
        case .revoke: kind == .revocation
        }
    }

    /// Actions that end a case: nothing may follow them.
    public var isFinal: Bool {
        switch self {
        case .initialReject, .initialTransfer, .secondaryApprove, .secondaryReject, .withdraw,
             .auditClose, .resolve, .serviceDisabled, .enforcementClose, .revoke: true
        default: false
        }
    }

    /// What a case is once this action ended it (for messages).
    public var resultingState: String {
        switch self {
        case .initialReject, .secondaryReject: "rejected"
        case .initialTransfer: "transferred"
        case .secondaryApprove: "approved"
        case .withdraw: "withdrawn"
        case .auditClose, .enforcementClose: "closed"
        case .resolve: "improved"
        case .serviceDisabled: "terminated"
        case .revoke: "revoked"
        default: "open"
        }
    }

    /// The file name of the step document: `<nnnn>-<action>.yaml`.
    public func fileName(sequence: Int) -> String {
        "\(String(format: "%04d", sequence))-\(rawValue).yaml"
    }
}

/// An official letter (函) as a clerk records it.
public struct LetterReference: Sendable, Codable, Equatable {
    /// The letter's number (文號), e.g. `南市教字第1150012345號`.
    public var number: String
    public var date: CalendarDate
    /// Who sent it, when it did not come from the applicant itself.
    public var from: String?

    public init(number: String, date: CalendarDate, from: String? = nil) {
        self.number = number
        self.date = date
        self.from = from
    }
}

/// Why an application is rejected (point 4).
public enum RejectReason: String, Sendable, Codable, CaseIterable {
    case ineligible
    case incompleteUncorrectable = "incomplete-uncorrectable"
    case falseStatement = "false-statement"
}
