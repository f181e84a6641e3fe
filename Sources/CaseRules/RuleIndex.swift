import Foundation
import CaseModel

/// Every list of the validator's rules, where it lives, and every id a finding can carry:
/// docs/rules.md lists the same (RulesDocumentTests holds them together).
public enum RuleIndex {
    /// One list of rules: its name (as docs/rules.md writes it) and the ids it returns.
    public struct List: Sendable {
        public let name: String
        public let ids: [String]
    }

    /// The lists: the commit rules (run over every commit's evidence by
    /// ``CommitRules/judge(_:_:)``), then the history, push, trust-file and personal-store
    /// rules the validator and the hub call over the evidence they gather.
    public static let lists: [List] = [
        List(name: "StructureRules.common", ids: StructureRules.common.flatMap(\.ids)),
        List(name: "StructureRules.step", ids: StructureRules.step.flatMap(\.ids)),
        List(name: "AdministrativeRules.all", ids: AdministrativeRules.all.flatMap(\.ids)),
        List(name: "WorkflowRules.all", ids: WorkflowRules.all.flatMap(\.ids)),
        List(name: "EnforcementRules.all", ids: EnforcementRules.all.flatMap(\.ids)),
        List(name: "OrganizationRules.all", ids: OrganizationRules.all.flatMap(\.ids)),
        List(name: "HistoryRules", ids: HistoryRules.ids),
        List(name: "PushRules", ids: PushRules.ids),
        List(name: "TrustFileRules", ids: TrustFileRules.ids),
        List(name: "PersonalStoreRules", ids: PersonalStoreRules.ids),
    ]

    /// Every id a finding of the validator or the hub's hooks can carry.
    public static var ids: Set<String> { Set(lists.flatMap(\.ids)) }
}

/// The commit rules as one: every rule that applies to a commit (an administrative
/// commit's lists or a step's), run over its evidence.
public enum CommitRules {
    /// All findings of the rules that apply to this commit, refusals first.
    public static func judge(_ input: CommitInput, _ context: RuleContext) -> [Finding] {
        let rules = input.isAdministrative ? StructureRules.administrativeCommit : StructureRules.stepCommit
        let findings = rules.flatMap { $0.findings(input, context) }
        return findings.filter { $0.severity == .refuse } + findings.filter { $0.severity == .record }
    }
}
