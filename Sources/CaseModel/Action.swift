/// The steps a case can record. A closed list: an unknown action is refused, never
/// stored as free text. Provisional: the workflow issue completes it (DESIGN §5).
public enum Action: String, Sendable, Codable, CaseIterable {
    case open
    case submit
    case initialForward = "initial.forward"
    case initialCorrection = "initial.correction"
    case initialReject = "initial.reject"
    case initialTransfer = "initial.transfer"
    case correct
    case secondaryApprove = "secondary.approve"
    case secondaryCorrection = "secondary.correction"
    case secondaryReject = "secondary.reject"
    case withdraw

    /// Whether a case of `kind` can record this action.
    public func applies(to kind: CaseKind) -> Bool {
        switch self {
        case .open: true
        default: kind.isApplication
        }
    }

    /// Actions that end a case: nothing may follow them.
    public var isFinal: Bool {
        switch self {
        case .initialReject, .initialTransfer, .secondaryApprove, .secondaryReject, .withdraw: true
        default: false
        }
    }

    /// The state an application case is in after this action (provisional: the workflow
    /// issue replaces this with the full state machine of DESIGN §5).
    public var resultingState: String {
        switch self {
        case .open: "opened"
        case .submit, .correct: "submitted"
        case .initialForward: "forwarded"
        case .initialCorrection, .secondaryCorrection: "correction-requested"
        case .initialReject, .secondaryReject: "rejected"
        case .initialTransfer: "transferred"
        case .secondaryApprove: "approved"
        case .withdraw: "withdrawn"
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

/// The typed data of each action: what the person filling in `--data FILE` writes.
public enum StepData: Sendable, Equatable {
    case open(Open)
    case submit(Submit)
    case forward(Remark)
    case correctionRequest(CorrectionRequest)
    case reject(Reject)
    case transfer(Transfer)
    case correct(Submit)
    case approve(Remark)
    case withdraw(Withdraw)

    public struct Open: Sendable, Codable, Equatable {
        /// One line saying what the case is about.
        public var subject: String
        /// The letter that started it, for application cases.
        public var letter: LetterReference?
        public var note: String?
        public init(subject: String, letter: LetterReference? = nil, note: String? = nil) {
            self.subject = subject; self.letter = letter; self.note = note
        }
    }

    /// What arrived: the covering letter and, later, the applicant's documents.
    public struct Submit: Sendable, Codable, Equatable {
        public var letter: LetterReference
        public var note: String?
        public init(letter: LetterReference, note: String? = nil) { self.letter = letter; self.note = note }
    }

    public struct Remark: Sendable, Codable, Equatable {
        public var note: String?
        public init(note: String? = nil) { self.note = note }
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

    public struct Reject: Sendable, Codable, Equatable {
        public var reason: RejectReason
        public var note: String
        public init(reason: RejectReason, note: String) { self.reason = reason; self.note = note }
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

    /// The Swift type that `--data` decodes into for `action`.
    public static func dataType(for action: Action) -> any (Codable & Sendable).Type {
        switch action {
        case .open: Open.self
        case .submit, .correct: Submit.self
        case .initialForward, .secondaryApprove: Remark.self
        case .initialCorrection, .secondaryCorrection: CorrectionRequest.self
        case .initialReject, .secondaryReject: Reject.self
        case .initialTransfer: Transfer.self
        case .withdraw: Withdraw.self
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
        case (.initialCorrection, let v as CorrectionRequest), (.secondaryCorrection, let v as CorrectionRequest):
            self = .correctionRequest(v)
        case (.initialReject, let v as Reject), (.secondaryReject, let v as Reject): self = .reject(v)
        case (.initialTransfer, let v as Transfer): self = .transfer(v)
        case (.withdraw, let v as Withdraw): self = .withdraw(v)
        default: return nil
        }
    }

    /// The wrapped value, for encoding.
    public var value: any Codable & Sendable {
        switch self {
        case .open(let v): v
        case .submit(let v), .correct(let v): v
        case .forward(let v), .approve(let v): v
        case .correctionRequest(let v): v
        case .reject(let v): v
        case .transfer(let v): v
        case .withdraw(let v): v
        }
    }
}
