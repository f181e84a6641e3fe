import CaseModel

/// A change was refused: the findings say which rules and how to fix them.
public struct RuleViolation: Error, Sendable {
    public let findings: [Finding]
    public init(_ findings: [Finding]) { self.findings = findings }
}
