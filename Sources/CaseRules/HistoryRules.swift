import Foundation
import CaseModel
import CaseSigning

/// The rules that judge a commit from what the store found before the commit rules could
/// run (a root, a tree that does not read, a parent whose settings do not read, a step
/// document that does not decode) and from the hub's receipts over history. Each is a
/// pure function of its evidence and returns findings under its own id only; the
/// validator in CaseStore gathers the evidence and calls them.
public enum HistoryRules {
    /// Every id these rules return.
    public static let ids = ["S-ROOT", "S-COMMIT-SIGNATURE", "S-UNJUDGEABLE", "S-PATH", "S-LIMIT", "S-DOCUMENT", "S-REVOKED",
                             "S-RECEIPT", "S-RECEIPT-CLAIM", "S-RECEIPT-DELAY"]

    /// S-ROOT: a commit without a parent after the first one.
    public static func root(commit: String) -> Finding {
        Finding(rule: "S-ROOT", severity: .refuse, message: Message(.ruleRootCommit, ["commit": String(commit.prefix(12))]))
    }

    /// S-ROOT: a file of the first commit that is not a setting, trust or a calendar, or not
    /// a regular file.
    public static func firstCommitPath(commit: String, path: String) -> Finding {
        Finding(rule: "S-ROOT", severity: .refuse, path: path,
                message: Message(.ruleFirstCommitPath, ["commit": String(commit.prefix(12)), "path": path]))
    }

    /// S-COMMIT-SIGNATURE for the first commit, which has no parent's policy: signed by a
    /// node its own policy allows in its jurisdiction.
    public static func firstCommitSignature(commit: String, signature: SignatureCheck, keys: PolicyKeys, jurisdiction: String) -> Finding? {
        let short = String(commit.prefix(12))
        switch signature {
        case .missing:
            return Finding(rule: "S-COMMIT-SIGNATURE", severity: .refuse, message: Message(.ruleCommitUnsigned, ["commit": short]))
        case .failed:
            return Finding(rule: "S-COMMIT-SIGNATURE", severity: .refuse, message: Message(.ruleCommitBadSignature, ["commit": short]))
        case .verified(let verified):
            guard let identity = keys.identity(for: verified), identity.maySignCommits(in: jurisdiction) else {
                return Finding(rule: "S-COMMIT-SIGNATURE", severity: .refuse,
                               message: Message(.ruleCommitSigner, ["commit": short, "fingerprint": verified.keyID]))
            }
            return nil
        }
    }

    /// S-UNJUDGEABLE: the parent's settings do not read, so nothing can be judged by them.
    public static func unjudgeable(commit: String, detail: MessageID) -> Finding {
        Finding(rule: "S-UNJUDGEABLE", severity: .refuse, message: Message(.ruleUnjudgeable, [
            "commit": String(commit.prefix(12)), "detail": detail.rawValue]))
    }

    /// S-PATH: the commit's tree holds names git itself refuses.
    public static func treeNames(commit: String, detail: String) -> Finding {
        Finding(rule: "S-PATH", severity: .refuse, message: Message(.ruleTreeNames, ["commit": String(commit.prefix(12)), "detail": detail]))
    }

    /// What was too much for one commit: a tree nested too deep, or too many files changed.
    public enum Excess: Sendable { case depth, changes }

    /// S-LIMIT: more than one commit may hold, found before anything else is read of it.
    public static func limit(_ excess: Excess, limit: Int, path: String, commit: String) -> Finding {
        let short = String(commit.prefix(12))
        switch excess {
        case .depth:
            return Finding(rule: "S-LIMIT", severity: .refuse, message: Message(.ruleTreeTooDeep, [
                "commit": short, "limit": "\(limit)", "path": path]))
        case .changes:
            return Finding(rule: "S-LIMIT", severity: .refuse, message: Message(.ruleTooManyFiles, [
                "commit": short, "limit": "\(limit)"]))
        }
    }

    /// S-DOCUMENT: the step document (or its case's files) does not read as it must.
    public static func unreadableStep(path: String, problem: Message) -> Finding {
        Finding(rule: "S-DOCUMENT", severity: .refuse, path: path, message: problem)
    }

    /// S-REVOKED: a signature by a key the latest policy revokes counts only when a receipt
    /// from before the revocation covers it: covered, nothing to say; received after it,
    /// refused; no receipt (history that never passed a hub), recorded for auditors.
    public static func revocation(_ identity: Policy.Identity, _ revoked: Policy.Revocation, received: Date?, path: String) -> Finding? {
        let arguments = ["path": path, "name": identity.name, "at": revoked.at.text, "reason": revoked.reason]
        guard let received else {
            return Finding(rule: "S-REVOKED", severity: .record, message: Message(.ruleKeyRevoked, arguments))
        }
        if received < revoked.at.date { return nil }
        return Finding(rule: "S-REVOKED", severity: .refuse, message: Message(.ruleRevokedAfterReceipt,
                                                                            arguments.merging(["received": Timestamp(received).text]) { a, _ in a }))
    }

    /// How much earlier than its receipt a claim may be before it is a finding.
    public static let receiptDelay: TimeInterval = 3 * 86_400

    /// S-RECEIPT-CLAIM: the hub's receipt bounds the signer's claim from above (DESIGN §5):
    /// a step claimed later than the hub received it, beyond the clock tolerance.
    public static func receiptClaim(_ step: StepEvidence, received: Date, tolerance: TimeInterval) -> Finding? {
        guard step.document.at.date.timeIntervalSince(received) > tolerance else { return nil }
        return Finding(rule: "S-RECEIPT-CLAIM", severity: .refuse, path: step.path, message: Message(.ruleReceiptClaim, [
            "path": step.path, "at": step.document.at.text, "received": Timestamp(received).text]))
    }

    /// S-RECEIPT-DELAY: a step the hub received more than ``receiptDelay`` after its claim
    /// (recorded for auditors; a claim later than the receipt is S-RECEIPT-CLAIM's).
    public static func receiptDelay(_ step: StepEvidence, received: Date, tolerance: TimeInterval) -> Finding? {
        let claimed = step.document.at.date
        guard claimed.timeIntervalSince(received) <= tolerance, received.timeIntervalSince(claimed) > receiptDelay else { return nil }
        return Finding(rule: "S-RECEIPT-DELAY", severity: .record, path: step.path, message: Message(.ruleReceiptDelay, [
            "path": step.path, "at": step.document.at.text, "received": Timestamp(received).text]))
    }
}

/// One receipt of the hub's chain (`refs/webjcase/receipts`) as `verify` read it.
public struct ReceiptEvidence: Sendable {
    /// The receipt commit.
    public let commit: String
    /// Whether its document reads; the rest is not known when it does not.
    public let readable: Bool
    /// Its sequence is its place in the chain (1, 2, 3…), it names its parent, and it has one.
    public let chained: Bool
    /// Signed by a hub key of the policy at `main`.
    public let hubSigned: Bool
    /// What it covers is history of `main`.
    public let onMain: Bool

    public init(commit: String, readable: Bool, chained: Bool, hubSigned: Bool, onMain: Bool) {
        self.commit = commit
        self.readable = readable
        self.chained = chained
        self.hubSigned = hubSigned
        self.onMain = onMain
    }
}

extension HistoryRules {
    /// S-RECEIPT: the receipt chain is unbroken, every receipt is signed by a hub key of the
    /// policy at `main`, and what each covers is history of `main`.
    public static func receipt(_ receipt: ReceiptEvidence) -> [Finding] {
        func broken(_ detail: MessageID) -> Finding {
            Finding(rule: "S-RECEIPT", severity: .refuse, message: Message(.ruleReceipt, ["commit": String(receipt.commit.prefix(12))],
                                                                           parts: ["problem": Message(detail)]))
        }
        guard receipt.readable else { return [broken(.problemReceiptUnreadable)] }
        var findings: [Finding] = []
        if !receipt.chained { findings.append(broken(.problemReceiptChain)) }
        if !receipt.hubSigned { findings.append(broken(.problemReceiptSigner)) }
        if !receipt.onMain { findings.append(broken(.problemReceiptHistory)) }
        return findings
    }
}
