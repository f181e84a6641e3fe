import Foundation
import CaseModel

/// The rules a push passes before its commits are judged: who pushes, which refs it may
/// move and how.
public enum PushRules {
    /// Every id these rules return.
    public static let ids = ["S-PUSHER", "S-REF"]

    /// S-PUSHER: the node a hub's transport authenticated must be one that may write to this
    /// jurisdiction (a node of it, or a Centre node, not revoked), whatever its commits say;
    /// nil when it may.
    public static func pusher(_ node: String, policy: Policy, jurisdiction: String) -> Finding? {
        let identity = policy.identities.first { $0.name == node }
        guard identity?.revoked != nil || !(identity?.maySignCommits(in: jurisdiction) ?? false) else { return nil }
        return Finding(rule: "S-PUSHER", severity: .refuse, message: Message(.rulePusher, ["node": node, "jurisdiction": jurisdiction]))
    }

    /// S-REF: only `main` moves, it is never deleted, and only by fast-forward.
    /// `fastForward`: whether the new commit descends from the old (nil: not asked, the
    /// ref is new or unchanged).
    public static func refUpdate(ref: String, main: String, deletes: Bool, fastForward: Bool?) -> Finding? {
        func refuse(_ id: MessageID) -> Finding { Finding(rule: "S-REF", severity: .refuse, message: Message(id, ["ref": ref])) }
        guard ref == main else { return refuse(.ruleRefNotMain) }
        guard !deletes else { return refuse(.ruleRefDeletion) }
        if fastForward == false { return refuse(.ruleNonFastForward) }
        return nil
    }
}
