import Foundation

/// What the validator says of a commit, a push or a history: accepted when no finding
/// refuses, with every finding (refusals and records) for the person who reads it.
public struct Verdict: Sendable {
    public let findings: [Finding]

    public init(_ findings: [Finding]) { self.findings = findings }

    /// Whether nothing refuses: the commit may stand (records are still worth reading).
    public var isAccepted: Bool { !findings.contains { $0.severity == .refuse } }

    /// The findings that refuse.
    public var refusals: [Finding] { findings.refusals }
}
