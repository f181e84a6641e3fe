import Foundation
import CaseModel
import CaseSigning

/// What every rule may consult besides the commit: the repository's jurisdiction, the
/// policy in force at the parent commit, and the time.
public struct RuleContext: Sendable {
    public let jurisdiction: String
    public let policy: Policy
    public let keys: PolicyKeys
    /// Attachment types and sizes from `webjcase.yaml`.
    public let attachmentLimits: RepositoryConfig.AttachmentLimits
    public let now: Date
    /// How far a claimed time may run ahead of `now` (clock skew between machines).
    public let futureTolerance: TimeInterval
    /// The office calendars at the parent commit, for deadlines.
    public var calendar: OfficeCalendar
    /// When the hub's view that the cross-case rules judge by was taken: `now` when judging
    /// live, the commit's receipt in history; nil where history has none (the claim then).
    /// A claim moves a step in its own case's timeline, never around another case's rule.
    public var viewTime: Date?

    public init(jurisdiction: String, policy: Policy, keys: PolicyKeys, attachmentLimits: RepositoryConfig.AttachmentLimits = .defaults,
                now: Date, futureTolerance: TimeInterval = 300, calendar: OfficeCalendar = OfficeCalendar([])) {
        self.calendar = calendar
        self.jurisdiction = jurisdiction
        self.policy = policy
        self.keys = keys
        self.attachmentLimits = attachmentLimits
        self.now = now
        self.futureTolerance = futureTolerance
    }
}

/// The input of the structure rules for one commit.
public struct CommitInput: Sendable {
    public let commit: CommitEvidence
    /// The case the commit touches, as it was before (for `open`: as its new case.yaml says).
    public let state: CaseState?
    /// Whether this commit adds the case's `case.yaml`.
    public let opensCase: Bool
    /// The step the commit records, when exactly one step document was found and parsed.
    public let step: StepEvidence?
    /// For a change of protected files (policy, calendar, settings): what changed and who signed.
    public let administration: AdministrativeChange?
    /// For the cross-case rules (a case being opened, an approval, an evaluation): the
    /// organization's other cases in this repository.
    public var organization: [OrganizationCase]?
    /// The applicant documents the commit adds under the case's `documents/`.
    public var documents: [DocumentEvidence] = []

    public init(commit: CommitEvidence, state: CaseState?, opensCase: Bool, step: StepEvidence?,
                administration: AdministrativeChange? = nil, organization: [OrganizationCase]? = nil) {
        self.organization = organization
        self.commit = commit
        self.state = state
        self.opensCase = opensCase
        self.step = step
        self.administration = administration
    }

    /// Whether the commit changes protected files rather than recording a step.
    public var isAdministrative: Bool {
        commit.changes.contains { $0.kind.isProtected }
    }
}

/// A rule of the validator: a stable id and a check that returns findings instead of
/// throwing, so that one run reports every broken rule. Its findings carry its id; a rule
/// that names the seed point of the case's kind (`P4-ORDER`, `P8-ORDER`) or
/// reports a deadline it cannot decide for want of a calendar (`S-CALENDAR`) lists those
/// ids too, in `also`.
public struct Rule: Sendable {
    public let id: String
    /// The other ids its findings may carry.
    public let also: [String]
    let check: @Sendable (CommitInput, RuleContext) -> [Finding]

    public init(_ id: String, also: [String] = [], _ check: @escaping @Sendable (CommitInput, RuleContext) -> [Finding]) {
        self.id = id
        self.also = also
        self.check = check
    }

    /// Every id its findings may carry.
    public var ids: [String] { [id] + also }

    /// Its findings for one commit; in debug builds (the tests), a finding under an id the
    /// rule does not declare stops the run.
    public func findings(_ input: CommitInput, _ context: RuleContext) -> [Finding] {
        let found = check(input, context)
        assert(found.allSatisfy { ids.contains($0.rule) }, "rule \(id) returned \(found.map(\.rule))")
        return found
    }
}

/// The structure, signature and authority layers that every commit after the first passes
/// (DESIGN §6). The workflow rules of points 4-9 come on top of these.
public enum StructureRules {
    /// Rules for every commit after the first.
    public static let common: [Rule] = [merge, commitSignature, committer, commitTime, paths, modes, appendOnly]

    /// Rules for a commit that records a step.
    public static let step: [Rule] = [
        oneStep, nameCollisions, caseFile, caseOwner, openOrder, actionKind, header, location, sequence, previous,
        timeOrder, timeFuture, finalState, stepSignature, stepSigner, attachments, onlyTheStep, trailers, personal,
    ]

    public static var all: [Rule] { common + step + AdministrativeRules.all + workflow }

    /// The workflow layer: points 4 to 9.
    static let workflow: [Rule] = WorkflowRules.all + EnforcementRules.all + OrganizationRules.all

    /// What an administrative commit and what a step passes, put together once.
    static let administrativeCommit = common + AdministrativeRules.all
    static let stepCommit = common + step + workflow


    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        Finding(rule: rule, severity: .refuse, path: path, message: Message(id, arguments))
    }

    // MARK: Commit

    static let merge = Rule("S-MERGE") { input, _ in
        input.commit.parentCount == 1 ? [] : [refuse("S-MERGE", nil, .ruleMerge,
            ["commit": input.commit.shortID, "count": "\(input.commit.parentCount)"])]
    }

    /// The node that signed the commit, when the signature is good and the key is a node
    /// allowed in this repository.
    static func signingNode(_ commit: CommitEvidence, _ context: RuleContext) -> Policy.Identity? {
        guard case .verified(let signature) = commit.signature,
              let identity = context.keys.identity(for: signature) else { return nil }
        return identity.maySignCommits(in: context.jurisdiction) ? identity : nil
    }

    static let commitSignature = Rule("S-COMMIT-SIGNATURE") { input, context in
        let commit = input.commit
        switch commit.signature {
        case .missing:
            return [refuse("S-COMMIT-SIGNATURE", nil, .ruleCommitUnsigned, ["commit": commit.shortID])]
        case .failed:
            return [refuse("S-COMMIT-SIGNATURE", nil, .ruleCommitBadSignature, ["commit": commit.shortID])]
        case .verified(let signature):
            guard let node = signingNode(commit, context) else {
                return [refuse("S-COMMIT-SIGNATURE", nil, .ruleCommitSigner, ["commit": commit.shortID, "fingerprint": signature.keyID])]
            }
            // After the revocation nothing new by this key counts: only a hub receipt from
            // before it could vouch for an earlier signature.
            if let revoked = node.revoked, context.now >= revoked.at.date {
                return [refuse("S-COMMIT-SIGNATURE", nil, .ruleKeyRevoked, [
                    "path": "commit \(commit.shortID)", "name": node.name, "at": revoked.at.text, "reason": revoked.reason])]
            }
            return []
        }
    }

    static let committer = Rule("S-COMMITTER") { input, context in
        guard let node = signingNode(input.commit, context) else { return [] }
        let expected = CommitterEmail.node(node.name, jurisdiction: context.jurisdiction)
        guard input.commit.committerName != node.name || input.commit.committerEmail != expected else { return [] }
        return [refuse("S-COMMITTER", nil, .ruleCommitter, [
            "commit": input.commit.shortID, "node": node.name, "jurisdiction": context.jurisdiction,
            "committer": "\(input.commit.committerName) <\(input.commit.committerEmail)>"])]
    }

    /// The commit time is the node's claim: it must agree with the validator's clock (at
    /// push and when recording; history is judged at each commit's own time), come after
    /// its parent's and not before the step it records, each within the tolerance.
    static let commitTime = Rule("S-COMMIT-TIME") { input, context in
        let commit = input.commit
        var time: String { Timestamp(commit.committerTime).text }
        var findings: [Finding] = []
        if abs(commit.committerTime.timeIntervalSince(context.now)) > context.futureTolerance {
            findings.append(refuse("S-COMMIT-TIME", nil, .ruleCommitTimeNow, ["commit": commit.shortID, "time": time, "now": Timestamp(context.now).text]))
        }
        if let parent = commit.parentTime, commit.committerTime.timeIntervalSince(parent) < -context.futureTolerance {
            findings.append(refuse("S-COMMIT-TIME", nil, .ruleCommitTimeParent, ["commit": commit.shortID, "time": time, "parent": Timestamp(parent).text]))
        }
        if let step = input.step, commit.committerTime.timeIntervalSince(step.document.at.date) < -context.futureTolerance {
            findings.append(refuse("S-COMMIT-TIME", nil, .ruleCommitTimeStep, ["commit": commit.shortID, "time": time, "at": step.document.at.text]))
        }
        return findings
    }

    // MARK: Paths

    static let paths = Rule("S-PATH") { input, _ in
        input.commit.changes.compactMap { change in
            change.kind == .unknown ? refuse("S-PATH", change.path, .rulePath, ["path": change.path]) : nil
        }
    }

    static let modes = Rule("S-MODE") { input, _ in
        input.commit.changes.compactMap { change in
            guard let mode = change.mode, mode != 0o100644 else { return nil }
            return refuse("S-MODE", change.path, .ruleMode, ["path": change.path, "mode": String(mode, radix: 8)])
        }
    }

    static let appendOnly = Rule("S-APPEND") { input, _ in
        input.commit.changes.compactMap { change in
            guard change.status != .added, change.kind.caseID != nil else { return nil }
            return refuse("S-APPEND", change.path, .ruleAppendOnly, ["path": change.path, "change": change.status.rawValue])
        }
    }

    static let oneStep = Rule("S-ONE-STEP") { input, _ in
        let cases = Set(input.commit.changes.compactMap { $0.kind.caseID })
        let steps = input.commit.changes.filter {
            if case .step(_, _, _, false) = $0.kind { return true }
            return false
        }
        // Exactly one step of exactly one case: a commit with no step (an attachment or a
        // case.yaml on its own) is refused like one with two.
        guard cases.count != 1 || steps.count != 1 else { return [] }
        let count = cases.count == 1 ? steps.count : cases.count
        return [refuse("S-ONE-STEP", nil, .ruleOneStep, ["count": "\(count)"])]
    }

    /// Names that some file systems cannot tell apart: compared case-folded and in NFC.
    /// Two paths are the same name only when their bytes are: Swift's `==` on strings is
    /// canonical equivalence, under which `café` in NFC and in NFD are equal.
    static let nameCollisions = Rule("S-NAME") { input, _ in
        let added = input.commit.changes.filter { $0.status == .added }.map(\.path)
        guard !added.isEmpty else { return [] }
        // Paths by their folded name: one pass over each list, whatever their number (a
        // comparison of every pair made a commit of thousands of files cost minutes).
        var existing: [String: String] = [:]
        for path in input.state?.paths ?? [] {
            let key = folded(path)
            if let other = existing[key], other >= path { continue }
            existing[key] = path
        }
        var findings: [Finding] = []
        var seen: [String: String] = [:]
        for path in added {
            let key = folded(path)
            // The last added path before it of the same name, else the greatest existing one.
            let other = seen[key] ?? existing[key]
            if let other, !other.utf8.elementsEqual(path.utf8) {
                findings.append(refuse("S-NAME", path, .ruleNameCollision, ["path": path, "other": other]))
            }
            seen[key] = path
        }
        return findings
    }

    /// Whether two paths fold to the same name. Two ASCII paths are compared byte by byte,
    /// case aside, without making their folded copies (most paths are ASCII).
    static func sameName(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        let ascii = a.withUTF8 { x in
            b.withUTF8 { y -> Bool? in
                guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return nil }
                guard x.count == y.count else { return false }
                for index in 0..<x.count where x[index] != y[index] {
                    let p = x[index] | 0x20
                    guard p == y[index] | 0x20, p >= 0x61, p <= 0x7A else { return false }
                }
                return true
            }
        }
        return ascii ?? (folded(a) == folded(b))
    }

    /// A path as names collide on file systems that fold case or normalize Unicode. An
    /// ASCII path is its own normal form, and most are ASCII: Foundation only for the rest.
    static func folded(_ path: String) -> String {
        path.utf8.allSatisfy { $0 < 0x80 } ? path.lowercased() : path.precomposedStringWithCanonicalMapping.lowercased()
    }

    // MARK: Case and step

    static let caseFile = Rule("S-CASE-FILE") { input, context in
        guard let step = input.step else { return [] }
        guard let state = input.state else {
            return [refuse("S-CASE-FILE", step.path, .ruleCaseMissing, ["path": step.path, "case": step.document.case.description])]
        }
        guard input.opensCase else { return [] }
        let path = state.directory + "/case.yaml"
        let id = RepositoryPath(path).caseID
        var findings: [Finding] = []
        func expect(_ field: String, _ found: String, _ expected: String) {
            if found != expected {
                findings.append(refuse("S-CASE-FILE", path, .ruleCaseFile, ["path": path, "field": field, "found": found, "expected": expected]))
            }
        }
        expect("kind", state.caseFile.kind, "case")
        expect("format", "\(state.caseFile.format)", "\(formatVersion)")
        expect("id", state.caseFile.id.description, id?.description ?? "?")
        expect("jurisdiction", state.caseFile.jurisdiction, context.jurisdiction)
        expect("node", state.caseFile.node, state.caseFile.id.node)
        if !OrganizationID.isValid(state.caseFile.organization) {
            findings.append(refuse("S-CASE-FILE", path, .caseBadOrganization, ["value": state.caseFile.organization]))
        }
        if let oid = state.caseFile.xcaOID, !OrganizationID.isObjectIdentifier(oid) || oid == state.caseFile.organization {
            findings.append(refuse("S-CASE-FILE", path, .caseBadXCAOID, ["value": oid, "organization": state.caseFile.organization]))
        }
        return findings
    }

    /// A case is opened by the node whose name its id carries, in the Taipei year of its
    /// first step.
    static let caseOwner = Rule("S-CASE-OWNER") { input, context in
        guard input.opensCase, let step = input.step, let state = input.state else { return [] }
        let id = state.caseFile.id
        let path = state.directory + "/case.yaml"
        var findings: [Finding] = []
        if let node = signingNode(input.commit, context) {
            if node.name != id.node {
                findings.append(refuse("S-CASE-OWNER", path, .ruleCaseFile, ["path": path, "field": "node", "found": id.node, "expected": node.name]))
            }
            let agency = node.roles.contains(.agencyNode) && !node.roles.contains(.centreNode)
            if agency != id.kind.openedByAgency {
                findings.append(refuse("S-CASE-OWNER", path, id.kind.openedByAgency ? .ruleCaseKindAgency : .ruleCaseKindCentre, [
                    "path": path, "kind": id.kind.rawValue, "node": node.name]))
            }
        }
        let year = Taipei.year(of: step.document.at.date)
        if year != id.year {
            findings.append(refuse("S-CASE-OWNER", path, .ruleCaseFile, ["path": path, "field": "year", "found": "\(id.year)", "expected": "\(year)"]))
        }
        return findings
    }

    /// The step document says what it is: `kind: step`, this format version.
    static let header = Rule("S-HEADER") { input, _ in
        guard let step = input.step else { return [] }
        var findings: [Finding] = []
        if step.document.kind != "step" {
            findings.append(refuse("S-HEADER", step.path, .ruleHeader, ["path": step.path, "field": "kind", "found": step.document.kind, "expected": "step"]))
        }
        if step.document.format != formatVersion {
            findings.append(refuse("S-HEADER", step.path, .ruleHeader, ["path": step.path, "field": "format", "found": "\(step.document.format)", "expected": "\(formatVersion)"]))
        }
        return findings
    }

    static let openOrder = Rule("S-OPEN") { input, _ in
        guard let step = input.step else { return [] }
        let isOpen = step.document.action == .open
        let first = step.document.sequence == 1
        guard isOpen != input.opensCase || isOpen != first else { return [] }
        return [refuse("S-OPEN", step.path, .ruleOpenOrder, ["path": step.path])]
    }

    static let actionKind = Rule("S-ACTION-KIND") { input, _ in
        guard let step = input.step, let state = input.state,
              !step.document.action.applies(to: state.caseFile.id.kind) else { return [] }
        return [refuse("S-ACTION-KIND", step.path, .ruleActionKind, [
            "path": step.path, "kind": state.caseFile.id.kind.rawValue, "action": step.document.action.rawValue])]
    }

    static let location = Rule("S-LOCATION") { input, _ in
        guard let step = input.step else { return [] }
        var findings: [Finding] = []
        guard case .step(let id, let sequence, let action, _) = RepositoryPath(step.path) else { return [] }
        if step.document.case != id {
            findings.append(refuse("S-LOCATION", step.path, .ruleLocation, [
                "path": step.path, "claimed": step.document.case.description, "actual": id.description]))
        }
        if sequence != step.document.sequence || action != step.document.action {
            findings.append(refuse("S-LOCATION", step.path, .ruleStepFileName, [
                "path": step.path, "nameSequence": "\(sequence)", "nameAction": action.rawValue,
                "sequence": "\(step.document.sequence)", "action": step.document.action.rawValue]))
        }
        return findings
    }

    static let sequence = Rule("S-SEQUENCE") { input, _ in
        guard let step = input.step, let state = input.state else { return [] }
        let last = state.lastStep?.sequence ?? 0
        guard step.document.sequence != last + 1 else { return [] }
        return [refuse("S-SEQUENCE", step.path, .ruleSequence, [
            "path": step.path, "found": "\(step.document.sequence)", "last": "\(last)", "expected": "\(last + 1)"])]
    }

    static let previous = Rule("S-PREVIOUS") { input, _ in
        guard let step = input.step, let state = input.state, step.document.previous != state.lastDigest else { return [] }
        return [refuse("S-PREVIOUS", step.path, .rulePrevious, [
            "path": step.path, "found": step.document.previous, "expected": state.lastDigest])]
    }

    static let timeOrder = Rule("S-TIME-ORDER") { input, _ in
        guard let step = input.step, let last = input.state?.lastStep, step.document.at < last.at else { return [] }
        return [refuse("S-TIME-ORDER", step.path, .ruleTimeOrder, [
            "path": step.path, "at": step.document.at.text, "previous": last.at.text])]
    }

    static let timeFuture = Rule("S-TIME-FUTURE") { input, context in
        guard let step = input.step,
              step.document.at.date.timeIntervalSince(context.now) > context.futureTolerance else { return [] }
        return [refuse("S-TIME-FUTURE", step.path, .ruleTimeFuture, [
            "path": step.path, "at": step.document.at.text, "now": Timestamp(context.now).text])]
    }

    static let finalState = Rule("S-FINAL") { input, _ in
        guard let step = input.step, let last = input.state?.lastStep, last.action.isFinal else { return [] }
        return [refuse("S-FINAL", step.path, .ruleFinal, [
            "path": step.path, "case": last.case.description, "state": last.action.resultingState])]
    }

    static let stepSignature = Rule("S-SIGNATURE") { input, _ in
        guard let step = input.step else { return [] }
        switch step.signature {
        case .missing:
            return [refuse("S-SIGNATURE", step.path, .signatureMissing, ["file": step.path, "signature": step.path + ".sig"])]
        case .failed(let message):
            return [Finding(rule: "S-SIGNATURE", severity: .refuse, path: step.path, message: message)]
        case .verified:
            return []
        }
    }

    /// The step's verified signer: its actor, a person of the policy, of this
    /// jurisdiction, neither revoked nor retired when it signed.
    static let stepSigner = Rule("S-SIGNER") { input, context in
        guard let step = input.step else { return [] }
        switch step.signature {
        case .missing, .failed:
            return []
        case .verified(let signature):
            guard signature.keyID == step.document.actor else {
                return [refuse("S-SIGNER", step.path, .ruleSigner, ["path": step.path, "actor": step.document.actor, "signer": signature.keyID])]
            }
            guard let identity = context.keys.identity(for: signature) else {
                return [refuse("S-SIGNER", step.path, .policyUnknownSigner, ["fingerprint": signature.keyID])]
            }
            if let jurisdiction = identity.jurisdiction, jurisdiction != context.jurisdiction {
                return [refuse("S-SIGNER", step.path, .ruleSignerJurisdiction, [
                    "path": step.path, "name": identity.name, "jurisdiction": jurisdiction, "repository": context.jurisdiction])]
            }
            if let revoked = identity.revoked, context.now >= revoked.at.date {
                return [refuse("S-SIGNER", step.path, .ruleKeyRevoked, [
                    "path": step.path, "name": identity.name, "at": revoked.at.text, "reason": revoked.reason])]
            }
            if let until = identity.validUntil, step.document.at > until {
                return [refuse("S-SIGNER", step.path, .ruleSignerRetired, [
                    "path": step.path, "name": identity.name, "until": until.text, "at": step.document.at.text])]
            }
            let personal = identity.roles.filter { !$0.isNode && $0 != .hub }
            guard personal.isEmpty else { return [] }
            return [refuse("S-SIGNER", step.path, .ruleSignerRole, [
                "path": step.path, "name": identity.name, "roles": identity.roles.map(\.rawValue).joined(separator: ", ")])]
        }
    }

    static let attachments = Rule("S-ATTACHMENT") { input, context in
        guard let step = input.step, let state = input.state else { return [] }
        var added: [String: ChangedFile] = [:]
        for change in input.commit.changes where change.status == .added {
            if case .attachment(_, let name) = change.kind { added[name] = change }
        }
        var findings: [Finding] = []
        let limits = context.attachmentLimits
        var total = 0
        for (name, file) in added.sorted(by: { $0.key < $1.key }) {
            let path = "\(state.directory)/attachments/\(name)"
            total += file.size ?? 0
            if let size = file.size, size > limits.maxFileBytes {
                findings.append(refuse("S-ATTACHMENT", path, .attachmentTooLarge, ["file": path, "size": "\(size)", "limit": "\(limits.maxFileBytes)"]))
            }
            if !limits.types.contains(file.contentType ?? "") {
                findings.append(refuse("S-ATTACHMENT", path, .attachmentType, ["file": path, "allowed": limits.types.joined(separator: ", ")]))
            }
        }
        if total > limits.maxCommitBytes {
            findings.append(refuse("S-ATTACHMENT", step.path, .attachmentCommitTooLarge, ["size": "\(total)", "limit": "\(limits.maxCommitBytes)"]))
        }
        for listed in step.document.attachments {
            let file = added.removeValue(forKey: listed.name)
            if file == nil || file?.sha256 != listed.sha256 || file?.size != listed.size {
                findings.append(refuse("S-ATTACHMENT", step.path, .ruleAttachmentMissing, [
                    "path": step.path, "name": listed.name, "sha256": listed.sha256, "size": "\(listed.size)"]))
            }
        }
        for name in added.keys.sorted() {
            let path = "\(state.directory)/attachments/\(name)"
            findings.append(refuse("S-ATTACHMENT", path, .ruleAttachmentUnlisted, ["path": path]))
        }
        return findings
    }

    /// A step commit adds the step, its signature, `case.yaml` when opening, the
    /// attachments (checked by S-ATTACHMENT) and the documents the step lists as received
    /// (checked by P4-DOCUMENT-FILE and P4-APPLICANT-DOCUMENT); nothing else.
    static let onlyTheStep = Rule("S-STEP-FILES") { input, _ in
        guard let step = input.step, let caseID = RepositoryPath(step.path).caseID else { return [] }
        // Documents the step lists as received come with it, each with its signature.
        let listed = Set(WorkflowRules.receivedDocuments(step.document).map(\.file))
        return input.commit.changes.compactMap { change in
            // Other cases are S-ONE-STEP's; paths outside cases make an administrative change.
            let kind = change.kind
            guard change.status == .added, kind.caseID == caseID else { return nil }
            switch kind {
            case .caseFile where input.opensCase: return nil
            case .attachment: return nil
            case .document(_, let name, _) where listed.contains("documents/" + name):
                return nil
            case .step(_, _, _, _) where change.path == step.path || change.path == step.path + ".sig": return nil
            default:
                return refuse("S-STEP-FILES", change.path, .ruleStepFiles, ["path": change.path, "step": step.path])
            }
        }
    }

    /// Personal data never enters the record: a step holds commitments, not values.
    static let personal = Rule("S-PERSONAL") { input, _ in
        guard let step = input.step else { return [] }
        let values = step.document.data.personalFields.filter { if case .value = $0 { return true } else { return false } }
        guard !values.isEmpty else { return [] }
        return [refuse("S-PERSONAL", step.path, .rulePersonalValue, ["path": step.path, "count": "\(values.count)"])]
    }

    static let trailers = Rule("S-TRAILERS") { input, _ in
        guard let step = input.step else { return [] }
        let expected = [("Case", step.document.case.description), ("Action", step.document.action.rawValue)]
        var findings: [Finding] = expected.compactMap { key, value in
            let found = input.commit.trailers.last { $0.key == key }?.value ?? ""
            return found == value ? nil : refuse("S-TRAILERS", nil, .ruleTrailers, [
                "commit": input.commit.shortID, "trailer": key, "found": found, "expected": value])
        }
        let actor = input.commit.trailers.last { $0.key == "Actor" }?.value ?? ""
        if !actor.hasSuffix("<\(step.document.actor)>") {
            findings.append(refuse("S-TRAILERS", nil, .ruleTrailers, [
                "commit": input.commit.shortID, "trailer": "Actor", "found": actor, "expected": "… <\(step.document.actor)>"]))
        }
        return findings
    }
}
