import Foundation
import CaseModel
import CaseSigning

/// A case as the rules would see it before its next step: the case so far, the
/// organization's other cases, and the repository's context (policy, calendars, limits).
/// The context's clock is not used: each candidate is judged at its own time.
public struct CaseSituation: Sendable {
    /// The case so far; for a case not opened yet, its `case.yaml` and no step.
    public let state: CaseState
    /// The organization's other cases, in this repository and the hub's others (this case
    /// left out: ``organization`` adds it as it stands).
    public let others: [OrganizationCase]
    public let context: RuleContext

    public init(state: CaseState, others: [OrganizationCase], context: RuleContext) {
        self.state = state
        self.others = others.filter { $0.id != state.caseFile.id }
        self.context = context
    }

    public var id: CaseID { state.caseFile.id }
    public var kind: CaseKind { state.caseFile.id.kind }
    /// Whether the case has its `open` step.
    public var isOpened: Bool { state.lastStep != nil }
    /// Where the case stands, replayed from its steps (nil before `open`, or for a history
    /// the workflow cannot replay).
    public var stage: CaseStage? { isOpened ? Workflow.stage(kind, after: state.history) : nil }
    public var isFinal: Bool { stage?.isFinal ?? false }

    /// The organization's cases as the cross-case rules get them when a step of this case
    /// is judged: the others, and this one as it stands before the step.
    public var organization: [OrganizationCase] {
        isOpened ? others + [OrganizationCase(id: id, steps: state.steps)] : others
    }

    /// The same situation once `step` is recorded (its files added to the case).
    public func recording(_ step: StepDocument, digest: String, files: [String]) -> CaseSituation {
        let paths = state.paths.union(files)
        let next = CaseState(caseFile: state.caseFile, directory: state.directory, lastStep: step, lastDigest: digest,
                             paths: paths, history: state.history + [step.action], steps: state.steps + [step])
        return CaseSituation(state: next, others: others, context: context)
    }

    /// The same case beside other cases of the organization (something happened elsewhere).
    public func with(others: [OrganizationCase]) -> CaseSituation {
        CaseSituation(state: state, others: others, context: context)
    }

    /// A case about to be opened: its `case.yaml` as `case open` writes it.
    public static func unopened(_ id: CaseID, organization: String, context: RuleContext,
                                others: [OrganizationCase]) -> CaseSituation {
        let file = CaseFile(id: id, organization: organization, jurisdiction: context.jurisdiction, node: id.node)
        let state = CaseState(caseFile: file, directory: id.directory, lastStep: nil,
                              lastDigest: "sha256:" + Digest.sha256Hex(Data("case.yaml \(id)".utf8)), paths: [])
        return CaseSituation(state: state, others: others, context: context)
    }
}

/// One step that might be taken next: an action with one of its meaningful outcomes, the
/// data a person would write for it, the scans it brings, at a time.
public struct CandidateStep: Sendable {
    public let action: Action
    /// Which outcome it is, in the words of the data: `completed`, `granted`, `email`,
    /// `ineligible`…; empty for an action with a single outcome.
    public let outcome: String
    public let data: StepData
    /// The scans the step brings under `attachments/`; its data lists them as documents.
    public let scans: [AttachmentReference]
    public let at: Date
}

/// Realistic candidate steps for a case: for every action of its kind, each outcome that
/// leads somewhere different (a tracking that found the improvement completed or not, an
/// extension granted or denied, each reason of a rejection, a reply by email or by
/// letter…), with data as a person would write it. Whether one may be taken is not decided
/// here: ``NextSteps`` runs the validator's rules on each.
public enum Candidates {
    /// The candidates for `situation` at `time`: the `open` steps of its kind before it is
    /// opened, then every other action that applies to its kind (the rules refuse those
    /// out of order).
    public static func steps(for situation: CaseSituation, at time: Date) -> [CandidateStep] {
        guard situation.isOpened else { return opens(situation, at: time) }
        return Action.allCases.filter { $0 != .open && $0.applies(to: situation.kind) }
            .flatMap { steps($0, for: situation, at: time) }
    }

    /// The candidates of one action.
    public static func steps(_ action: Action, for situation: CaseSituation, at time: Date) -> [CandidateStep] {
        let state = situation.state
        let sequence = (state.lastStep?.sequence ?? 0) + 1
        let today = CalendarDate(time)
        let record = EnforcementRecord(state.steps)
        func one(_ data: StepData, _ outcome: String = "", scans: [AttachmentReference] = []) -> CandidateStep {
            CandidateStep(action: action, outcome: outcome, data: data, scans: scans, at: time)
        }
        switch action {
        case .open:
            return situation.isOpened ? [] : opens(situation, at: time)
        case .submit, .correct:
            let missing = missingAnnexes(situation)
            var choices: [(String, [Int])] = []
            if action == .submit {
                choices.append(("all-annexes", missing))
                if !missing.isEmpty { choices.append(("annexes-missing", Array(missing.dropLast()))) }
            } else {
                // A correction brings what was missing, or a corrected Annex 1 when nothing was.
                choices.append(missing.isEmpty ? ("resubmitted", [1]) : ("all-annexes", missing))
            }
            return choices.map { outcome, annexes in
                let scans = annexes.map { scan(situation, sequence: sequence, name: "annex-\($0)") }
                var submit = StepData.Submit(letter: letter("申請", time, sequence))
                submit.documents = zip(annexes, scans).map { annex, scan in
                    ReceivedDocument(annex: annex, file: "attachments/\(scan.name)", sha256: scan.sha256)
                }
                return one(action == .submit ? .submit(submit) : .correct(submit), outcome, scans: scans)
            }
        case .initialForward:
            return [one(.forward(.init(note: "Within our jurisdiction; the annexes are in order.")))]
        case .secondaryApprove:
            return [one(.approve(.init(note: "Approved.")))]
        case .resolve:
            return [one(.resolve(.init(note: "Every item of the notice was improved.")))]
        case .initialCorrection, .secondaryCorrection:
            let missing = missingAnnexes(situation)
            let items = missing.isEmpty ? ["Annex 1 is not signed"] : missing.map { "Annex \($0) is missing" }
            return [one(.correctionRequest(.init(items: items, correctBy: Deadlines.adding(14, to: today))))]
        case .initialReject, .secondaryReject:
            // Each reason with what it rests on: the finding's basis; for documents that
            // cannot be corrected, the annexes never received (or, with none to name, a
            // correction request whose date passed unanswered).
            let missing = missingAnnexes(situation)
            return RejectReason.allCases.map { reason in
                var reject = StepData.Reject(reason: reason, note: "Rejected: \(reason.rawValue).")
                switch reason {
                case .ineligible: reject.basis = "The organization is not an agency or school of Tainan City (register of 2026-03-01)."
                case .falseStatement: reject.basis = "Annex 1 names a contact the organization does not employ (its letter of 2026-03-01)."
                case .incompleteUncorrectable: reject.missing = missing.isEmpty ? nil : missing
                }
                return one(.reject(reject), reason.rawValue)
            }
        case .initialTransfer:
            let known = Set(situation.context.policy.identities.compactMap(\.jurisdiction)).subtracting([situation.context.jurisdiction])
            let target = known.sorted().first ?? "social"
            return [one(.transfer(.init(to: target, note: "The applicant is registered with \(target).")), target)]
        case .withdraw:
            return [one(.withdraw(.init(letter: letter("撤回", time, sequence))))]
        case .reapplicationEvaluation:
            let acts = OrganizationHistory.pointSevenCases(situation.others, before: time, received: time).map(\.id)
            return [StepData.ReapplicationEvaluation.Verdict.feasible, .notFeasible].map { verdict in
                var evaluation = Templates.evaluation
                evaluation.cases = acts
                evaluation.verdict = verdict
                return one(.evaluation(evaluation), verdict.rawValue)
            }
        case .auditFinding:
            return [one(.auditFinding(Templates.finding))]
        case .auditClose:
            return [StepData.AuditClose.Result.compliant, .improvementRequired, .violation].map { result in
                var close = Templates.auditClose
                close.result = result
                close.deadline = result == .improvementRequired ? Deadlines.adding(30, to: today) : nil
                close.items = result == .violation ? [6] : nil
                return one(.auditClose(close), result.rawValue)
            }
        case .suspend:
            var suspension = Templates.suspension
            suspension.letter = letter("智", time, sequence)
            suspension.deadline = Deadlines.adding(30, to: today)
            suspension.tracker = tracker(situation, at: time) ?? "—"
            return [one(.suspend(suspension))]
        case .improvementReport:
            // The user's Annex 8 by e-mail or by letter: it answers every item of the notice,
            // with its evidence (P8-REPLY).
            let numbers = record.suspension?.items.map(\.number) ?? []
            return [StepData.ImprovementReport.Channel.email, .letter].map { channel in
                let scan = scan(situation, sequence: sequence, name: "annex-8-\(channel.rawValue)")
                var report = Templates.report
                report.channel = channel
                report.receivedAt = Timestamp(time)
                report.letter = channel == .letter ? letter("覆", time, sequence) : nil
                report.items = numbers.map { number in
                    var handling = Templates.handling
                    handling.number = number
                    return handling
                }
                report.documents = [ReceivedDocument(annex: 8, file: "attachments/\(scan.name)", sha256: scan.sha256)]
                return one(.report(report), channel.rawValue, scans: [scan])
            }
        case .phoneConfirmation:
            return [one(.phoneConfirmation(.init(calledAt: Timestamp(time))))]
        case .extensionRequest:
            var request = Templates.extensionRequest
            request.requestedUntil = Deadlines.adding(14, to: record.deadline ?? today)
            return [one(.extensionRequest(request))]
        case .extensionDecision:
            let asked = record.pendingExtension?.requestedUntil ?? Deadlines.adding(14, to: record.deadline ?? today)
            var granted = Templates.extensionDecision, denied = Templates.extensionDecision
            granted.granted = true
            granted.until = asked
            denied.granted = false
            return [one(.extensionDecision(granted), "granted"), one(.extensionDecision(denied), "denied")]
        case .tracking:
            return [StepData.Tracking.Result.completed, .incomplete].map { result in
                var tracking = Templates.tracking
                tracking.result = result
                return one(.tracking(tracking), result.rawValue)
            }
        case .terminationNotice:
            // On the case's grounds (from the open step, or once point 8 ¶4 calls for it),
            // or for a new act under point 7 verified while the user was suspended.
            var notice = Templates.notice
            notice.letter = letter("智", time, sequence)
            notice.terminationDate = Deadlines.adding(30, to: today)
            notice.archivesReport = letter("智", time, sequence + 1)
            var newAct = notice
            newAct.grounds = Templates.newAct
            return [one(.terminationNotice(notice), "case-grounds"), one(.terminationNotice(newAct), "new-act")]
        case .enforcementClose:
            return [StepData.EnforcementClose.Reason.noMeasure, .userCancelled].map { reason in
                let note = reason == .noMeasure ? "The act was minor and has stopped; no measure is taken."
                    : "The organization's use of the System was cancelled; nothing is left to enforce."
                return one(.enforcementClose(.init(reason: reason, note: note)), reason.rawValue)
            }
        case .serviceDisabled:
            var disabled = Templates.disabled
            disabled.disabledAt = Timestamp(time)
            disabled.archivesReply = letter("檔", time, sequence)
            return [one(.serviceDisabled(disabled))]
        case .revoke:
            var revocation = Templates.revocation
            revocation.letter = letter("智", time, sequence)
            return [one(.revoke(revocation))]
        }
    }

    /// The `open` steps of a case's kind: an application's letter; an audit's scope; the
    /// grounds of enforcement, directly under point 7 or by way of each audit of the
    /// organization that could ground item 7; what a revocation found.
    static func opens(_ situation: CaseSituation, at time: Date) -> [CandidateStep] {
        func one(_ open: StepData.Open, _ outcome: String = "") -> CandidateStep {
            CandidateStep(action: .open, outcome: outcome, data: .open(open), scans: [], at: time)
        }
        var open = StepData.Open(subject: "Case of organization \(situation.state.caseFile.organization)")
        switch situation.kind {
        case .registration, .change, .pause, .cancel:
            open.letter = letter("申請", time, 1)
            return [one(open)]
        case .audit:
            open.audit = Templates.auditScope
            return [one(open)]
        case .enforcement:
            open.grounds = Templates.grounds
            var found = [one(open, "direct")]
            for audit in situation.others where audit.id.kind == .audit {
                guard case .auditClose(let close)? = audit.steps.last?.data, close.result != .compliant else { continue }
                var grounds = Templates.grounds
                grounds.items = [7]
                grounds.audit = audit.id
                open.grounds = grounds
                found.append(one(open, "audit \(audit.id)"))
            }
            return found
        case .revocation:
            var grounds = Templates.revocationGrounds
            grounds.cases = situation.others.filter { $0.id.kind.isApplication }.map(\.id)
            open.revocation = grounds
            return [one(open)]
        }
    }

    /// The annexes of an application's kind not received yet.
    static func missingAnnexes(_ situation: CaseSituation) -> [Int] {
        let received = WorkflowRules.receivedAnnexes(situation.state.steps)
        return WorkflowRules.requiredAnnexes(situation.kind).filter { !received.contains($0) }
    }

    /// The Centre staff a suspension names to track the improvement: the first, by name, of
    /// the policy's staff who may sign at `time`.
    static func tracker(_ situation: CaseSituation, at time: Date) -> String? {
        NextSteps.eligibleSigners(roles: [.centreStaff], situation.context, at: time).first { $0.revoked == nil }?.name
    }

    /// A scan of paper the clerk attaches: named for its case and step, so that no two
    /// candidates anywhere bring the same bytes (P4-DOCUMENT-ONCE).
    static func scan(_ situation: CaseSituation, sequence: Int, name: String) -> AttachmentReference {
        let file = "\(name)-\(String(format: "%04d", sequence)).pdf"
        return AttachmentReference(name: file, sha256: Digest.sha256Hex(Data("\(situation.id) \(file)".utf8)), size: 48_000)
    }

    static func letter(_ word: String, _ time: Date, _ number: Int) -> LetterReference {
        LetterReference(number: "南市\(word)字第\(Taipei.year(of: time) - 1911)\(String(format: "%07d", number))號", date: CalendarDate(time))
    }
}

/// The data of each kind of step as a person writes it, read once from the same YAML-like
/// shape `--data` takes; candidates change the fields that vary.
enum Templates {
    static let evaluation: StepData.ReapplicationEvaluation = make(
        #"{"cases": [], "severity": "minor", "improvement": "The user improved its procedures since.", "verdict": "feasible"}"#)
    static let finding: StepData.AuditFinding = make(#"{"observations": ["Advertising sent to agencies without consent"], "items": [6]}"#)
    static let auditClose: StepData.AuditClose = make(#"{"result": "compliant", "note": "Audit closed."}"#)
    static let auditScope: StepData.AuditScope = make(#"{"scope": "Exchange logs of the last quarter", "method": "documents"}"#)
    static let grounds: StepData.EnforcementGrounds = make(
        #"{"items": [6], "facts": "Sent advertising to 40 agencies.", "evidence": ["Exchange log"], "verified": true}"#)
    static let newAct: StepData.EnforcementGrounds = make(
        #"{"items": [2], "facts": "Flooded the exchange server with documents while suspended.", "evidence": ["Server log"], "verified": true}"#)
    static let suspension: StepData.Suspension = make(#"""
        {"letter": {"number": "-", "date": "2026-01-01"}, "deadline": "2026-01-01", "tracker": "-",
         "items": [{"number": 1, "requirement": "Stop sending advertising"}, {"number": 2, "requirement": "Train the staff who send documents"}]}
        """#)
    static let report: StepData.ImprovementReport = make(#"{"channel": "letter", "receivedAt": "2026-01-01T00:00:00+08:00", "items": []}"#)
    static let handling: StepData.ItemHandling = make(#"{"number": 1, "handled": "Done, as the attached log shows."}"#)
    static let extensionRequest: StepData.ExtensionRequest = make(
        #"{"requestedUntil": "2026-01-01", "reason": "The vendor needs more time to change the system."}"#)
    static let extensionDecision: StepData.ExtensionDecision = make(#"{"granted": false}"#)
    static let tracking: StepData.Tracking = make(#"{"result": "incomplete", "notes": "Checked the exchange logs."}"#)
    static let notice: StepData.TerminationNotice = make(#"""
        {"letter": {"number": "-", "date": "2026-01-01"}, "terminationDate": "2026-01-01", "archivesReport": {"number": "-", "date": "2026-01-01"}}
        """#)
    static let disabled: StepData.ServiceDisabled = make(
        #"{"disabledAt": "2026-01-01T00:00:00+08:00", "archivesReply": {"number": "-", "date": "2026-01-01"}}"#)
    static let revocationGrounds: StepData.RevocationGrounds = make(
        #"{"finding": "forged", "cases": [], "evidence": ["The issuing office's letter"]}"#)
    static let revocation: StepData.Revocation = make(
        #"{"letter": {"number": "-", "date": "2026-01-01"}, "note": "The qualification is revoked."}"#)

    /// Decodes a constant of this file: a mistake in one is a bug found by the first test.
    static func make<T: Decodable>(_ json: String) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            preconditionFailure("candidate template \(T.self): \(error)")
        }
    }
}
