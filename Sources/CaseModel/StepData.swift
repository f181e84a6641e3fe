/// The typed data of each action: what the person filling in `--data FILE` writes
/// (`webjcase template ACTION` prints a commented skeleton of each).
public enum StepData: Sendable, Equatable {
    case open(Open)
    case submit(Submit)
    case forward(Remark)
    case correctionRequest(CorrectionRequest)
    case reject(Reject)
    case transfer(Transfer)
    case correct(Submit)
    case evaluation(ReapplicationEvaluation)
    case approve(Remark)
    case withdraw(Withdraw)
    case auditFinding(AuditFinding)
    case auditClose(AuditClose)
    case suspend(Suspension)
    case report(ImprovementReport)
    case phoneConfirmation(PhoneConfirmation)
    case extensionRequest(ExtensionRequest)
    case extensionDecision(ExtensionDecision)
    case tracking(Tracking)
    case resolve(Remark)
    case terminationNotice(TerminationNotice)
    case serviceDisabled(ServiceDisabled)
    case enforcementClose(EnforcementClose)
    case revoke(Revocation)

    /// The Swift type that `--data` decodes into for `action`.
    public static func dataType(for action: Action) -> any (Codable & Sendable).Type {
        switch action {
        case .open: Open.self
        case .submit, .correct: Submit.self
        case .initialForward, .secondaryApprove, .resolve: Remark.self
        case .initialCorrection, .secondaryCorrection: CorrectionRequest.self
        case .initialReject, .secondaryReject: Reject.self
        case .initialTransfer: Transfer.self
        case .withdraw: Withdraw.self
        case .reapplicationEvaluation: ReapplicationEvaluation.self
        case .auditFinding: AuditFinding.self
        case .auditClose: AuditClose.self
        case .suspend: Suspension.self
        case .improvementReport: ImprovementReport.self
        case .phoneConfirmation: PhoneConfirmation.self
        case .extensionRequest: ExtensionRequest.self
        case .extensionDecision: ExtensionDecision.self
        case .tracking: Tracking.self
        case .terminationNotice: TerminationNotice.self
        case .serviceDisabled: ServiceDisabled.self
        case .enforcementClose: EnforcementClose.self
        case .revoke: Revocation.self
        }
    }

    /// Wraps decoded data for `action`; nil if `value` has the wrong type.
    public init?(action: Action, value: any Sendable) {
        switch (action, value) {
        case (.open, let v as Open): self = .open(v)
        case (.submit, let v as Submit): self = .submit(v)
        case (.correct, let v as Submit): self = .correct(v)
        case (.initialForward, let v as Remark): self = .forward(v)
        case (.secondaryApprove, let v as Remark): self = .approve(v)
        case (.resolve, let v as Remark): self = .resolve(v)
        case (.initialCorrection, let v as CorrectionRequest), (.secondaryCorrection, let v as CorrectionRequest):
            self = .correctionRequest(v)
        case (.initialReject, let v as Reject), (.secondaryReject, let v as Reject): self = .reject(v)
        case (.initialTransfer, let v as Transfer): self = .transfer(v)
        case (.withdraw, let v as Withdraw): self = .withdraw(v)
        case (.reapplicationEvaluation, let v as ReapplicationEvaluation): self = .evaluation(v)
        case (.auditFinding, let v as AuditFinding): self = .auditFinding(v)
        case (.auditClose, let v as AuditClose): self = .auditClose(v)
        case (.suspend, let v as Suspension): self = .suspend(v)
        case (.improvementReport, let v as ImprovementReport): self = .report(v)
        case (.phoneConfirmation, let v as PhoneConfirmation): self = .phoneConfirmation(v)
        case (.extensionRequest, let v as ExtensionRequest): self = .extensionRequest(v)
        case (.extensionDecision, let v as ExtensionDecision): self = .extensionDecision(v)
        case (.tracking, let v as Tracking): self = .tracking(v)
        case (.terminationNotice, let v as TerminationNotice): self = .terminationNotice(v)
        case (.serviceDisabled, let v as ServiceDisabled): self = .serviceDisabled(v)
        case (.enforcementClose, let v as EnforcementClose): self = .enforcementClose(v)
        case (.revoke, let v as Revocation): self = .revoke(v)
        default: return nil
        }
    }

    /// The wrapped value, for encoding.
    public var value: any Codable & Sendable {
        switch self {
        case .open(let v): v
        case .submit(let v), .correct(let v): v
        case .forward(let v), .approve(let v), .resolve(let v): v
        case .correctionRequest(let v): v
        case .reject(let v): v
        case .transfer(let v): v
        case .withdraw(let v): v
        case .evaluation(let v): v
        case .auditFinding(let v): v
        case .auditClose(let v): v
        case .suspend(let v): v
        case .report(let v): v
        case .phoneConfirmation(let v): v
        case .extensionRequest(let v): v
        case .extensionDecision(let v): v
        case .tracking(let v): v
        case .terminationNotice(let v): v
        case .serviceDisabled(let v): v
        case .enforcementClose(let v): v
        case .revoke(let v): v
        }
    }
}

// MARK: Every case

extension StepData {
    /// The first step of every case. An enforcement case states its grounds, an audit its
    /// scope, a revocation what was found; the rules require the part that fits the kind.
    public struct Open: Sendable, Codable, Equatable {
        /// One line saying what the case is about.
        public var subject: String
        /// The letter that started it, for application cases.
        public var letter: LetterReference?
        public var note: String?
        /// ENF: the acts of point 7 and how they were verified.
        public var grounds: EnforcementGrounds?
        /// AUD: what the audit looks at.
        public var audit: AuditScope?
        /// REV: what was found forged or false, and in which cases.
        public var revocation: RevocationGrounds?

        public init(subject: String, letter: LetterReference? = nil, note: String? = nil) {
            self.subject = subject; self.letter = letter; self.note = note
        }

        /// The keys an open step of `kind` may hold: the others belong to other kinds.
        public static func keys(for kind: CaseKind) -> Set<String> {
            let common: Set<String> = ["subject", "letter", "note"]
            switch kind {
            case .registration, .change, .pause, .cancel: return common
            case .audit: return common.union(["audit"])
            case .enforcement: return common.union(["grounds"])
            case .revocation: return common.union(["revocation"])
            }
        }
    }

    public struct Remark: Sendable, Codable, Equatable {
        public var note: String?
        public init(note: String? = nil) { self.note = note }
    }
}

// MARK: Applications (points 4 and 5)

extension StepData {
    /// What arrived: the covering letter and the applicant's documents (Annex 1-6).
    public struct Submit: Sendable, Codable, Equatable {
        public var letter: LetterReference
        public var note: String?
        /// The annexes received with this letter, each once: XCA-signed under `documents/`
        /// in the same commit, or a paper form scanned into `attachments/` (the clerk's
        /// signature on this step attests the scan).
        public var documents: [ReceivedDocument]?
        public init(letter: LetterReference, note: String? = nil) { self.letter = letter; self.note = note }
    }

    public struct CorrectionRequest: Sendable, Codable, Equatable {
        /// What must be corrected or completed, one item each.
        public var items: [String]
        /// The last day to correct by.
        public var correctBy: CalendarDate
        public var note: String?
        public init(items: [String], correctBy: CalendarDate, note: String? = nil) {
            self.items = items; self.correctBy = correctBy; self.note = note
        }
    }

    /// Point 4 ¶3: the city may refuse an application that is ineligible, whose documents
    /// are missing and cannot be corrected, or that is found false. The refusal says what
    /// in the case it rests on.
    public struct Reject: Sendable, Codable, Equatable {
        public var reason: RejectReason
        public var note: String
        /// For `ineligible` and `false-statement`: what the finding rests on (the register
        /// consulted, the document found false), in the reviewer's words.
        public var basis: String?
        /// For `incomplete-uncorrectable` without a correction request that went
        /// unanswered: the annexes (numbers) the case never received.
        public var missing: [Int]?
        public init(reason: RejectReason, note: String, basis: String? = nil, missing: [Int]? = nil) {
            self.reason = reason; self.note = note; self.basis = basis; self.missing = missing
        }
    }

    public struct Transfer: Sendable, Codable, Equatable {
        /// The competent jurisdiction the case goes to (Administrative Procedure Act art. 17).
        public var to: String
        public var note: String
        public init(to: String, note: String) { self.to = to; self.note = note }
    }

    public struct Withdraw: Sendable, Codable, Equatable {
        public var letter: LetterReference?
        public var note: String?
        public init(letter: LetterReference? = nil, note: String? = nil) { self.letter = letter; self.note = note }
    }

    /// Point 9: whether a re-application by a user that committed a point 7 act is feasible.
    public struct ReapplicationEvaluation: Sendable, Codable, Equatable {
        /// The enforcement (or revocation) cases considered.
        public var cases: [CaseID]
        public var severity: Severity
        /// How the user improved since.
        public var improvement: String
        public var verdict: Verdict
        public var note: String?

        public enum Severity: String, Sendable, Codable, CaseIterable { case minor, serious, grave }
        public enum Verdict: String, Sendable, Codable, CaseIterable {
            case feasible
            case notFeasible = "not-feasible"
        }
    }
}

/// One applicant document a step brings in.
public struct ReceivedDocument: Sendable, Codable, Equatable {
    /// The annex it is (1 to 8), if it is one; absent for letters and other evidence.
    public var annex: Int?
    /// The file inside the case: `documents/<name>.yaml` (signed with an XCA certificate
    /// of the case's organization) or `attachments/<name>` (a scan of paper).
    public var file: String
    /// Lowercase hex sha256 of the file's bytes: it binds the document to this case.
    /// `webjcase step` fills it in from the attached file when the data leaves it out.
    public var sha256: String?

    public init(annex: Int?, file: String, sha256: String? = nil) {
        self.annex = annex; self.file = file; self.sha256 = sha256
    }
}

// MARK: Audits (point 6)

extension StepData {
    public struct AuditScope: Sendable, Codable, Equatable {
        /// What is examined, e.g. "exchange logs of 2026-Q1".
        public var scope: String
        public var method: Method
        public enum Method: String, Sendable, Codable, CaseIterable {
            case onSite = "on-site"
            case documents
            case remote
        }
    }

    public struct AuditFinding: Sendable, Codable, Equatable {
        /// What was observed, one item each.
        public var observations: [String]
        /// The acts of point 7 the observations point to, if any.
        public var items: [Int]?
        public var note: String?
    }

    public struct AuditClose: Sendable, Codable, Equatable {
        public var result: Result
        /// For `improvement-required`: the last day to improve by.
        public var deadline: CalendarDate?
        /// For `violation`: the items of point 7 (an enforcement case follows).
        public var items: [Int]?
        public var note: String?

        public enum Result: String, Sendable, Codable, CaseIterable {
            case compliant
            case improvementRequired = "improvement-required"
            case violation
        }
    }
}

// MARK: Enforcement (points 7 and 8)

extension StepData {
    /// Why the city acts under point 7.
    public struct EnforcementGrounds: Sendable, Codable, Equatable {
        /// The items of point 7 paragraph 1 (1 to 8) the user committed.
        public var items: [Int]
        /// What happened.
        public var facts: String
        /// The evidence, one entry each (documents, logs, attachments by name).
        public var evidence: [String]
        /// Point 7 acts only "when committed and verified": the Centre states it verified them.
        public var verified: Bool
        /// The audit that found it, for item 7 (not improving by the deadline an audit set).
        public var audit: CaseID?
    }

    /// The Annex 8 notice: suspension with the items to improve by a deadline.
    public struct Suspension: Sendable, Codable, Equatable {
        public var letter: LetterReference
        public var items: [ImprovementItem]
        /// The last day of the improvement period.
        public var deadline: CalendarDate
        /// The name (in the policy) of the Centre staff assigned to track the improvement.
        public var tracker: String
        /// The person at the user who received the notice.
        public var contact: PersonalField?
        public var note: String?
    }

    public struct ImprovementItem: Sendable, Codable, Equatable {
        public var number: Int
        public var requirement: String
    }

    /// The user's completed Annex 8, as a clerk records it.
    public struct ImprovementReport: Sendable, Codable, Equatable {
        public var channel: Channel
        /// When it arrived.
        public var receivedAt: Timestamp
        public var letter: LetterReference?
        /// Who sent it (for an email: the address).
        public var sender: PersonalField?
        /// How each item was handled, with the user's explanation.
        public var items: [ItemHandling]
        /// The user's signed Annex 8 and evidence, when they came as files: `documents/`
        /// (XCA-signed) or `attachments/` (scans), as in a submission.
        public var documents: [ReceivedDocument]?
        public var note: String?

        public enum Channel: String, Sendable, Codable, CaseIterable { case email, letter }
    }

    public struct ItemHandling: Sendable, Codable, Equatable {
        public var number: Int
        public var handled: String
        public var explanation: String?
    }

    /// Point 8: a reply by email counts once confirmed by telephone.
    public struct PhoneConfirmation: Sendable, Codable, Equatable {
        public var calledAt: Timestamp
        /// Who confirmed it, and on which number.
        public var contact: PersonalField?
        public var phone: PersonalField?
        public var note: String?

        public init(calledAt: Timestamp, contact: PersonalField? = nil, phone: PersonalField? = nil, note: String? = nil) {
            self.calledAt = calledAt; self.contact = contact; self.phone = phone; self.note = note
        }
    }

    public struct ExtensionRequest: Sendable, Codable, Equatable {
        public var requestedUntil: CalendarDate
        public var reason: String
        public var letter: LetterReference?
    }

    public struct ExtensionDecision: Sendable, Codable, Equatable {
        public var granted: Bool
        /// The new last day, when granted.
        public var until: CalendarDate?
        public var note: String?
    }

    /// One row of Annex 8's tracking evaluation table.
    public struct Tracking: Sendable, Codable, Equatable {
        public var result: Result
        public var notes: String
        public enum Result: String, Sendable, Codable, CaseIterable { case completed, incomplete }
    }

    /// Point 8: the written notice of the termination date, reported to the Archives.
    public struct TerminationNotice: Sendable, Codable, Equatable {
        public var letter: LetterReference
        /// The day exchange service ends.
        public var terminationDate: CalendarDate
        /// The letter reporting it to the Archives.
        public var archivesReport: LetterReference
        /// A new act under point 7, committed and verified while the user was suspended:
        /// point 7 lets the city terminate for it directly, whatever the improvement period.
        public var grounds: EnforcementGrounds?
        public var note: String?
    }

    /// The Centre ends an enforcement case without a measure or a further one (point 7:
    /// the city *may* suspend or terminate), with its reasons.
    public struct EnforcementClose: Sendable, Codable, Equatable {
        public var reason: Reason
        public var note: String
        public enum Reason: String, Sendable, Codable, CaseIterable {
            /// The city decided to take no measure (from the open step only).
            case noMeasure = "no-measure"
            /// The user's use was cancelled (point 5): nothing is left to enforce.
            case userCancelled = "user-cancelled"
        }
        public init(reason: Reason, note: String) { self.reason = reason; self.note = note }
    }

    /// The Archives' act, recorded by Centre staff with the Archives' reply.
    public struct ServiceDisabled: Sendable, Codable, Equatable {
        /// When the Archives disabled the service.
        public var disabledAt: Timestamp
        public var archivesReply: LetterReference
        public var note: String?
    }
}

// MARK: Revocation (points 4 and 5)

extension StepData {
    public struct RevocationGrounds: Sendable, Codable, Equatable {
        public var finding: Finding
        /// The cases whose documents were found forged or false.
        public var cases: [CaseID]
        public var evidence: [String]
        public enum Finding: String, Sendable, Codable, CaseIterable { case forged, altered, `false`, concealed }
    }

    /// The decision and the notice to the user.
    public struct Revocation: Sendable, Codable, Equatable {
        public var letter: LetterReference
        public var note: String
    }
}
