import Foundation
import CaseModel
import CaseSigning

/// Where a case stands (DESIGN §5), for every kind of case.
public enum CaseStage: String, Sendable, CaseIterable {
    case opened
    // Applications (points 4 and 5)
    case submitted
    case initialCorrection = "correction-requested-initial"
    case forwarded
    case secondaryCorrection = "correction-requested-secondary"
    case approved
    case rejected
    case transferred
    case withdrawn
    // Audits (point 6)
    case closed
    // Enforcement (points 7 and 8)
    case improving
    case improved
    case terminating
    case terminated
    // Revocation
    case revoked

    public var isFinal: Bool {
        switch self {
        case .approved, .rejected, .transferred, .withdrawn, .closed, .improved, .terminated, .revoked: true
        default: false
        }
    }
}

/// The order of steps of each kind of case, and who records each step.
public enum Workflow {
    /// The stage after `action` in `stage`, or nil when the action may not follow.
    public static func next(_ kind: CaseKind, _ stage: CaseStage, _ action: Action) -> CaseStage? {
        guard action.applies(to: kind), !stage.isFinal else { return nil }
        switch kind {
        case .registration, .change, .pause, .cancel: return application(stage, action)
        case .audit:
            switch (stage, action) {
            case (.opened, .auditFinding): return .opened
            case (.opened, .auditClose): return .closed
            default: return nil
            }
        case .enforcement:
            switch (stage, action) {
            case (.opened, .suspend): return .improving
            case (.opened, .terminationNotice), (.improving, .terminationNotice): return .terminating
            case (.improving, .improvementReport), (.improving, .phoneConfirmation), (.improving, .extensionRequest),
                 (.improving, .extensionDecision), (.improving, .tracking): return .improving
            case (.improving, .resolve): return .improved
            case (.opened, .enforcementClose), (.improving, .enforcementClose): return .closed
            case (.terminating, .serviceDisabled): return .terminated
            default: return nil
            }
        case .revocation:
            return (stage, action) == (.opened, .revoke) ? .revoked : nil
        }
    }

    /// Points 4 and 5: initial review by the competent authority, secondary review by the
    /// Centre, corrections, refusal, transfer, withdrawal.
    static func application(_ stage: CaseStage, _ action: Action) -> CaseStage? {
        switch (stage, action) {
        case (.opened, .submit): .submitted
        case (.submitted, .initialForward): .forwarded
        case (.submitted, .initialCorrection): .initialCorrection
        case (.submitted, .initialReject), (.initialCorrection, .initialReject): .rejected
        case (.submitted, .initialTransfer): .transferred
        case (.initialCorrection, .correct): .submitted
        case (.forwarded, .reapplicationEvaluation): .forwarded
        case (.forwarded, .secondaryApprove): .approved
        case (.forwarded, .secondaryCorrection): .secondaryCorrection
        case (.forwarded, .secondaryReject), (.secondaryCorrection, .secondaryReject): .rejected
        case (.secondaryCorrection, .correct): .forwarded
        case (_, .withdraw): .withdrawn
        default: nil
        }
    }

    /// Replays a case's actions from its `open`; nil when the history breaks the workflow.
    public static func stage(_ kind: CaseKind, after actions: [Action]) -> CaseStage? {
        guard actions.first == .open else { return nil }
        var stage = CaseStage.opened
        for action in actions.dropFirst() {
            guard let next = next(kind, stage, action) else { return nil }
            stage = next
        }
        return stage
    }

    /// The actions that may follow `stage`.
    public static func allowed(_ kind: CaseKind, after stage: CaseStage) -> [Action] {
        Action.allCases.filter { next(kind, stage, $0) != nil }
    }

    /// Who may record `action` in a case of `kind` (DESIGN §4): clerks record what arrives,
    /// the competent authority reviews first, the Centre second; Centre staff audit,
    /// enforce and record the Archives' acts; Centre reviewers revoke and evaluate.
    public static func roles(_ kind: CaseKind, _ action: Action) -> Set<Role> {
        switch action {
        case .open:
            switch kind {
            case .registration, .change, .pause, .cancel: [.clerk]
            case .audit, .enforcement: [.centreStaff]
            case .revocation: [.centreReviewer]
            }
        case .submit, .correct, .withdraw, .improvementReport, .phoneConfirmation, .extensionRequest: [.clerk]
        case .initialForward, .initialCorrection, .initialReject, .initialTransfer: [.authorityReviewer]
        case .secondaryApprove, .secondaryCorrection, .secondaryReject, .reapplicationEvaluation, .revoke: [.centreReviewer]
        case .auditFinding, .auditClose, .suspend, .extensionDecision, .tracking, .resolve, .terminationNotice, .serviceDisabled,
             .enforcementClose:
            [.centreStaff]
        }
    }

    /// The seed point a kind's order and role rules name.
    static func point(_ kind: CaseKind) -> String {
        switch kind {
        case .registration, .change, .pause, .cancel, .revocation: "P4"
        case .audit: "P6"
        case .enforcement: "P8"
        }
    }
}

/// The order and authority of steps, for every kind of case, and the application rules
/// of points 4 and 5.
public enum WorkflowRules {
    public static let all: [Rule] = [replay, order, enforcementOrder, role, auditRole, enforcementRole, correctBy, rejectGrounds, transfer, documentFiles, applicantDocuments, cmsSigningTime, annexes, documentsOnce,
                                     evaluationCases, evaluation]

    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        StructureRules.refuse(rule, path, id, arguments)
    }

    /// `P4-ORDER` (application and revocation cases), `P8-ORDER` (enforcement): which step
    /// may follow which (DESIGN §5). (Every step of an audit may follow its open:
    /// S-ACTION-KIND and S-FINAL keep its order.)
    static let order = orderRule("P4")
    static let enforcementOrder = orderRule("P8")

    /// The order rule of the kinds whose point is `point`.
    static func orderRule(_ point: String) -> Rule { Rule("\(point)-ORDER") { input, _ in
        guard let step = input.step, let state = input.state, step.document.action != .open, !input.opensCase,
              Workflow.point(state.caseFile.id.kind) == point else { return [] }
        let kind = state.caseFile.id.kind
        let rule = "\(point)-ORDER"
        // A history that does not replay is S-REPLAY's to say.
        guard let current = Workflow.stage(kind, after: state.history) else { return [] }
        // S-FINAL says it for a finished case, S-ACTION-KIND for an action of another kind.
        if current.isFinal || !step.document.action.applies(to: kind) { return [] }
        guard Workflow.next(kind, current, step.document.action) == nil else { return [] }
        let allowed = Workflow.allowed(kind, after: current).map { "`\($0.rawValue)`" }.joined(separator: ", ")
        return [refuse(rule, step.path, .ruleWorkflowOrder, [
            "path": step.path, "action": step.document.action.rawValue, "state": current.rawValue, "allowed": allowed])]
    } }

    /// `S-REPLAY`: the case's steps so far follow its kind's workflow (a history broken
    /// already, rather than an act out of order).
    static let replay = Rule("S-REPLAY") { input, _ in
        guard let step = input.step, let state = input.state, step.document.action != .open, !input.opensCase,
              Workflow.stage(state.caseFile.id.kind, after: state.history) == nil else { return [] }
        return [refuse("S-REPLAY", step.path, .ruleHistoryReplay, [
            "path": step.path, "history": state.history.map(\.rawValue).joined(separator: " → ")])]
    }

    /// `P4-ROLE` (application and revocation cases), `P6-ROLE` (audits), `P8-ROLE`
    /// (enforcement): the signer holds the role the step needs.
    static let role = roleRule("P4")
    static let auditRole = roleRule("P6")
    static let enforcementRole = roleRule("P8")

    /// The role rule of the kinds whose point is `point`.
    static func roleRule(_ point: String) -> Rule { Rule("\(point)-ROLE") { input, context in
        guard let step = input.step, let state = input.state, Workflow.point(state.caseFile.id.kind) == point,
              case .verified(let signature) = step.signature, let identity = context.keys.identity(for: signature) else { return [] }
        let needed = Workflow.roles(state.caseFile.id.kind, step.document.action)
        guard needed.isDisjoint(with: identity.roles) else { return [] }
        return [refuse("\(point)-ROLE", step.path, .ruleWorkflowRole, [
            "path": step.path, "name": identity.name, "action": step.document.action.rawValue,
            "roles": needed.map(\.rawValue).sorted().joined(separator: ", ")])]
    } }

    /// A correction request gives a date to correct by that is after the request.
    static let correctBy = Rule("P4-CORRECT-BY") { input, _ in
        guard let step = input.step, case .correctionRequest(let request) = step.document.data else { return [] }
        let requested = CalendarDate(step.document.at.date)
        guard request.correctBy <= requested else { return [] }
        return [refuse("P4-CORRECT-BY", step.path, .ruleCorrectBy, [
            "path": step.path, "date": request.correctBy.description, "requested": requested.description])]
    }

    /// Point 4 ¶3 (point 5 ¶3 alike): 「申請資格不符、填具之申請文件缺漏且不能補正或經發現虛偽不實者，
    /// 本府得不同意申請」. A rejection rests on what the case shows: documents are missing
    /// and not correctable once a correction request's date passed (APA art. 48) with no
    /// correction after it, or when the reviewer names required annexes the case never
    /// received; ineligibility and falsity say what the finding rests on (`basis:`).
    static let rejectGrounds = Rule("P4-REJECT-GROUNDS", also: ["S-CALENDAR"]) { input, context in
        guard let step = input.step, let state = input.state, case .reject(let reject) = step.document.data else { return [] }
        var problems: [(MessageID, [String: String])] = []
        switch reject.reason {
        case .ineligible, .falseStatement:
            if (reject.basis ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append((.problemRejectNoBasis, [:])) }
        case .incompleteUncorrectable:
            let required = requiredAnnexes(state.caseFile.id.kind)
            let received = receivedAnnexes(state.steps)
            let named = reject.missing ?? []
            let wrong = named.filter { !required.contains($0) || received.contains($0) }
            if !wrong.isEmpty {
                problems.append((.problemRejectMissingReceived, ["items": wrong.map(String.init).joined(separator: ", ")]))
            }
            var requestLapsed = false
            if let last = state.steps.lastIndex(where: { if case .correctionRequest = $0.data { true } else { false } }),
               case .correctionRequest(let request) = state.steps[last].data,
               !state.steps[(last + 1)...].contains(where: { $0.action == .correct }) {
                switch EnforcementRules.periodEnded(step.document.at.date, request.correctBy, context, step.path) {
                case .failure(let problem): return [problem.finding]
                case .success(let period): requestLapsed = period.ended
                }
            }
            if !requestLapsed && named.isEmpty { problems.append((.problemRejectNotUncorrectable, [:])) }
        }
        return problems.map { id, arguments in
            Finding(rule: "P4-REJECT-GROUNDS", severity: .refuse, path: step.path,
                    message: Message(.ruleReject, ["path": step.path, "reason": reject.reason.rawValue], parts: ["problem": Message(id, arguments)]))
        }
    }

    /// A case outside the authority's jurisdiction goes to another, existing jurisdiction.
    static let transfer = Rule("P4-TRANSFER") { input, context in
        guard let step = input.step, case .transfer(let transfer) = step.document.data else { return [] }
        guard NodeName.isValid(transfer.to), transfer.to != context.jurisdiction else {
            return [refuse("P4-TRANSFER", step.path, .ruleTransferTarget, ["path": step.path, "to": transfer.to, "jurisdiction": context.jurisdiction])]
        }
        // The jurisdictions the policy in force knows (those its agency identities act for):
        // the same answer on every node and in `verify`, whatever repositories stand beside.
        let known = Set(context.policy.identities.compactMap(\.jurisdiction)).subtracting([context.jurisdiction])
        guard !known.contains(transfer.to) else { return [] }
        return [refuse("P4-TRANSFER", step.path, .ruleTransferUnknown, [
            "path": step.path, "to": transfer.to, "known": known.isEmpty ? "—" : known.sorted().joined(separator: ", ")])]
    }

    /// The annexes each kind of application needs (points 4 and 5).
    public static func requiredAnnexes(_ kind: CaseKind) -> [Int] {
        switch kind {
        case .registration: [1, 2, 3, 4, 5]
        case .change, .pause, .cancel: [1, 4, 6]
        default: []
        }
    }

    /// The documents a step brings in.
    public static func receivedDocuments(_ step: StepDocument) -> [ReceivedDocument] {
        switch step.data {
        case .submit(let submit), .correct(let submit): submit.documents ?? []
        case .report(let report): report.documents ?? []
        default: []
        }
    }

    /// The annexes a kind of case receives: Annex 1-6 in applications, the user's Annex 8
    /// in enforcement; letters in both.
    static func annexAllowed(_ annex: Int?, in kind: CaseKind) -> Bool {
        guard let annex else { return true }
        return kind.isApplication ? (1...6).contains(annex) : kind == .enforcement && annex == 8
    }

    /// The annexes a case has received so far, by the documents its steps list.
    static func receivedAnnexes(_ steps: [StepDocument]) -> Set<Int> {
        Set(steps.flatMap(receivedDocuments).compactMap(\.annex))
    }

    /// Each document a step lists is a file the same commit adds to the case, with the
    /// digest the step names: a scan under `attachments/` (the clerk's signature on the
    /// step attests it) or a form under `documents/`. Annex numbers are 1 to 8.
    static let documentFiles = Rule("P4-DOCUMENT-FILE") { input, _ in
        guard let step = input.step, let state = input.state else { return [] }
        var findings: [Finding] = []
        for document in receivedDocuments(step.document) {
            let path = state.directory + "/" + document.file
            let kind = RepositoryPath(path)
            var fits = false
            switch kind {
            case .attachment(let id, _) where id == state.caseFile.id: fits = true
            case .document(let id, _, false) where id == state.caseFile.id: fits = true
            default: break
            }
            let file = input.commit.changes.first { $0.status == .added && $0.path == path }
            if !fits || file == nil || document.sha256 == nil || file?.sha256 != document.sha256
                || !annexAllowed(document.annex, in: state.caseFile.id.kind) {
                findings.append(refuse("P4-DOCUMENT-FILE", step.path, .ruleDocumentFile, [
                    "path": step.path, "file": document.file, "sha256": document.sha256 ?? "—"]))
            }
        }
        return findings
    }

    /// An applicant document under `documents/` reads under its schema, is signed with an
    /// XCA certificate of the case's organization, by its id or its `xcaOID` (checked at its own `signedAt`), was signed
    /// before the step that brings it in, holds personal fields only as commitments, and is
    /// the annex the step says it is.
    static let applicantDocuments = Rule("P4-APPLICANT-DOCUMENT") { input, context in
        guard let step = input.step, let state = input.state else { return [] }
        let listed = Dictionary(receivedDocuments(step.document).map { (state.directory + "/" + $0.file, $0) }) { a, _ in a }
        var findings: [Finding] = []
        func refuse(_ path: String, _ id: MessageID, _ arguments: [String: String] = [:]) {
            findings.append(Self.refuse("P4-APPLICANT-DOCUMENT", path, id, arguments.merging(["path": path]) { a, _ in a }))
        }
        for document in input.documents {
            if let problem = document.problem {
                findings.append(Finding(rule: "P4-APPLICANT-DOCUMENT", severity: .refuse, path: document.path, message: problem))
                continue
            }
            guard let form = document.form?.document else { continue }
            if !state.caseFile.organizationNames.contains(form.organization) {
                refuse(document.path, .ruleDocumentOrganization, ["found": form.organization,
                                                                  "expected": state.caseFile.organizationNames.joined(separator: ", ")])
            }
            if form.signedAt.date.timeIntervalSince(step.document.at.date) > context.futureTolerance {
                refuse(document.path, .ruleDocumentSignedLater, ["signedAt": form.signedAt.text, "at": step.document.at.text])
            }
            if form.personalFields.contains(where: { if case .value = $0 { return true } else { return false } }) {
                refuse(document.path, .rulePersonalValue, ["count": "\(form.personalFields.count)"])
            }
            let annex = ApplicantForm.kinds[form.kind] ?? nil
            if let entry = listed[document.path], entry.annex != annex {
                refuse(document.path, .ruleDocumentAnnex, ["kind": form.kind, "annex": entry.annex.map { "\($0)" } ?? "—"])
            }
            if form.format != formatVersion {
                refuse(document.path, .ruleDocumentFormat, ["found": "\(form.format)", "expected": "\(formatVersion)"])
            }
            // What the form says must fit the case: the request of Annex 1 is the case's
            // kind; the consent of Annex 2 and the agreement of Annex 3 are given.
            let kind = state.caseFile.id.kind
            switch document.form {
            case .annex1(let annex1)?:
                let expected: Annex1.Request? = switch kind {
                case .registration: .registration
                case .change: .change
                case .pause: .pause
                case .cancel: .cancel
                default: nil
                }
                if annex1.request != expected {
                    refuse(document.path, .ruleDocumentRequest, ["request": annex1.request.rawValue, "kind": kind.rawValue])
                }
            case .annex2(let annex2)? where !annex2.consent:
                refuse(document.path, .ruleDocumentNotGiven, ["field": "consent"])
            case .annex3(let annex3)? where !annex3.agreed:
                refuse(document.path, .ruleDocumentNotGiven, ["field": "agreed"])
            default:
                break
            }
        }
        return findings
    }

    /// A CMS signature's own signingTime that disagrees with the form's `signedAt` by more
    /// than the clock tolerance is recorded: the certificate is judged at `signedAt`, which
    /// the signature covers; the attribute is the signing software's claim beside it.
    static let cmsSigningTime = Rule("P4-SIGNING-TIME") { input, context in
        guard input.step != nil else { return [] }
        return input.documents.compactMap { document -> Finding? in
            guard document.problem == nil, let form = document.form?.document, let time = document.cmsSigningTime,
                  abs(time.timeIntervalSince(form.signedAt.date)) > context.futureTolerance else { return nil }
            return Finding(rule: "P4-SIGNING-TIME", severity: .record, path: document.path + ".p7s", message: Message(.ruleCMSSigningTime, [
                "path": document.path + ".p7s", "signingTime": Timestamp(time).text, "signedAt": form.signedAt.text,
                "tolerance": "\(Int(context.futureTolerance))"]))
        }
    }

    /// Forwarding to the Centre and approving need every annex of the kind: "approving
    /// without Annex 4" is refused (DESIGN §6). Missing ones call for a correction request.
    static let annexes = Rule("P4-ANNEXES") { input, _ in
        guard let step = input.step, let state = input.state,
              [.initialForward, .secondaryApprove].contains(step.document.action) else { return [] }
        let received = receivedAnnexes(state.steps)
        let missing = requiredAnnexes(state.caseFile.id.kind).filter { !received.contains($0) }
        guard !missing.isEmpty else { return [] }
        return [refuse("P4-ANNEXES", step.path, .ruleAnnexesMissing, [
            "path": step.path, "action": step.document.action.rawValue, "kind": state.caseFile.id.kind.rawValue,
            "missing": missing.map { "Annex \($0)" }.joined(separator: ", ")])]
    }

    /// An applicant document's digest appears in one case only (no replay): checked among
    /// the organization's cases (a document of another organization fails its certificate
    /// check) and within the case itself.
    static let documentsOnce = Rule("P4-DOCUMENT-ONCE") { input, _ in
        guard let step = input.step, let state = input.state else { return [] }
        let listed = receivedDocuments(step.document)
        guard !listed.isEmpty else { return [] }
        var seen: [String: String] = [:]
        let others = (input.organization ?? []).filter { $0.id != state.caseFile.id }.map { ($0.id.description, $0.steps) }
        for (caseID, steps) in others + [(state.caseFile.id.description, state.steps)] {
            for document in steps.flatMap(receivedDocuments) { if let sha256 = document.sha256 { seen[sha256] = caseID } }
        }
        var findings: [Finding] = []
        for document in listed {
            guard let sha256 = document.sha256 else { continue }
            if let other = seen.updateValue(state.caseFile.id.description, forKey: sha256) {
                findings.append(refuse("P4-DOCUMENT-ONCE", step.path, .ruleDocumentReplayed, [
                    "path": step.path, "file": document.file, "sha256": sha256, "case": other]))
            }
        }
        return findings
    }

    /// The organization's cases that show an act of point 7 ¶1 committed while it used the
    /// System, as the hub saw them when this step reached it.
    static func pointSevenCases(_ input: CommitInput, _ context: RuleContext, _ step: StepEvidence) -> [OrganizationCase] {
        OrganizationHistory.pointSevenCases(input.organization ?? [], before: max(step.document.at.date, context.viewTime ?? .distantPast),
                                            received: context.viewTime)
    }

    /// Point 9 ¶2 「本府得視其違規情節輕重及改善情形，評估該用戶重新申請使用本系統之可行性」: the
    /// evaluation weighs every case in which the organization committed a point 7 act.
    static let evaluationCases = Rule("P9-EVALUATION-CASES") { input, context in
        guard let step = input.step, let state = input.state, case .evaluation(let evaluation) = step.document.data else { return [] }
        let named = Set(evaluation.cases)
        let missing = pointSevenCases(input, context, step).map(\.id).filter { !named.contains($0) }
        guard !missing.isEmpty else { return [] }
        return [refuse("P9-EVALUATION-CASES", step.path, .ruleEvaluationCases, [
            "path": step.path, "organization": state.caseFile.organization, "missing": missing.map(\.description).joined(separator: ", ")])]
    }

    /// Point 9 ¶2: approving a re-application by a user that committed a point 7 act
    /// during its use (an enforcement case, an audit that closed finding a violation)
    /// needs the Centre's evaluation naming every such case, and a favourable one (our
    /// reading: the seed's "may evaluate" becomes "must", so that no such approval slips
    /// through unexamined).
    static let evaluation = Rule("P9-EVALUATION") { input, context in
        guard let step = input.step, let state = input.state, state.caseFile.id.kind == .registration,
              step.document.action == .secondaryApprove else { return [] }
        // As the hub saw the organization when the approval arrived (docs/rules.md).
        let acts = pointSevenCases(input, context, step)
        guard !acts.isEmpty else { return [] }
        let verdicts = state.steps.compactMap { step -> StepData.ReapplicationEvaluation? in
            if case .evaluation(let evaluation) = step.data { return evaluation }
            return nil
        }
        let last = verdicts.last
        let covers = last.map { evaluation in acts.allSatisfy { evaluation.cases.contains($0.id) } } ?? false
        guard last?.verdict != .feasible || !covers else { return [] }
        return [refuse("P9-EVALUATION", step.path, last == nil || !covers ? .ruleEvaluationMissing : .ruleEvaluationUnfavourable, [
            "path": step.path, "organization": state.caseFile.organization,
            "cases": acts.map(\.id.description).joined(separator: ", ")])]
    }
}
