/// How much a broken rule weighs (DESIGN §6).
public enum Severity: String, Sendable, Codable {
    /// The change is refused: nothing is committed or accepted.
    case refuse
    /// The change is accepted and the finding is kept for auditors and reports.
    case record
}

/// One result of a validator policy: which rule, how serious, where, and what to do.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    /// The rule's stable id, e.g. `S-PATH` or `P8-TRACKING-LIMIT`.
    public let rule: String
    public let severity: Severity
    /// The repository path the finding is about, when there is one.
    public let path: String?
    public let line: Int?
    public let message: Message
    /// The commit it was found in, when judging history.
    public var commit: String?

    public init(rule: String, severity: Severity, path: String? = nil, line: Int? = nil, message: Message) {
        self.rule = rule
        self.severity = severity
        self.path = path
        self.line = line
        self.message = message
    }

    /// `[RULE] message`: every message names its file itself.
    public func render(_ language: Language) -> String {
        "[\(rule)] \(message.render(language))"
    }

    public var description: String { render(.en) }
}

extension Array where Element == Finding {
    /// The findings that stop a change.
    public var refusals: [Finding] { filter { $0.severity == .refuse } }
}
