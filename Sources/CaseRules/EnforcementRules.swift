import Foundation
import CaseModel

/// A deadline that cannot be computed (its year has no calendar), as the refusal to report.
struct DeadlineProblem: Error {
    let finding: Finding
}

/// What an enforcement case has recorded so far, replayed from its steps (point 8).
public struct EnforcementRecord: Sendable {
    /// The Annex 8 notice, when the user was suspended.
    public private(set) var suspension: StepData.Suspension?
    /// The last day of the improvement period in force: the notice's, or a later one an
    /// extension granted.
    public private(set) var deadline: CalendarDate?
    /// Each tracking's result, in order (Annex 8's tracking evaluation table).
    public private(set) var trackings: [StepData.Tracking.Result] = []
    /// An extension request not decided yet.
    public private(set) var pendingExtension: StepData.ExtensionRequest?
    /// The replies recorded, in order.
    public private(set) var reports: [StepData.ImprovementReport] = []
    /// Whether the last reply came by email and no phone confirmation followed it.
    public private(set) var awaitingConfirmation = false
    /// The termination notice, once sent.
    public private(set) var notice: StepData.TerminationNotice?

    public init(_ steps: [StepDocument]) {
        for step in steps {
            switch step.data {
            case .suspend(let suspension):
                self.suspension = suspension
                deadline = suspension.deadline
            case .extensionRequest(let request):
                pendingExtension = request
            case .extensionDecision(let decision):
                pendingExtension = nil
                if decision.granted, let until = decision.until { deadline = until }
            case .tracking(let tracking):
                trackings.append(tracking.result)
            case .report(let report):
                reports.append(report)
                awaitingConfirmation = report.channel == .email
            case .phoneConfirmation:
                awaitingConfirmation = false
            case .terminationNotice(let notice):
                self.notice = notice
            default:
                break
            }
        }
    }

    /// Trackings that found the improvement incomplete.
    public var incompleteTrackings: Int { trackings.filter { $0 == .incomplete }.count }

    /// Whether a third tracking (or a later one) found the improvement still not done:
    /// 「經三次追蹤限期改善情形仍無法完成改善事項者」 (point 8 ¶4), however the earlier
    /// trackings came out.
    public var thirdTrackingFoundUndone: Bool {
        trackings.count >= Self.trackingLimit && trackings.last == .incomplete
    }

    /// Whether the city's last tracking found the improvement done. Trackings happen
    /// within the period (P8-TRACKING-PERIOD), so this is "a tracking within the period
    /// found the improvement done": the one test of 「屆期未能完成改善」.
    public var lastTrackingFoundDone: Bool { trackings.last == .completed }

    /// The notice's item numbers no reply has answered yet.
    public var unansweredItems: [Int] {
        let answered = Set(reports.flatMap { $0.items.map(\.number) })
        return (suspension?.items.map(\.number) ?? []).filter { !answered.contains($0) }
    }

    /// Whether the replies count: at least one arrived, and an emailed one was confirmed by phone.
    public var hasConfirmedReply: Bool { !reports.isEmpty && !awaitingConfirmation }

    /// Whether the improvement is complete: replies that count and answer every item of
    /// the notice, and a last tracking that found it completed.
    public var isImproved: Bool { hasConfirmedReply && unansweredItems.isEmpty && lastTrackingFoundDone }

    /// The most trackings a case holds: the third ends the tracking (point 8 ¶4).
    public static let trackingLimit = 3
}

/// Points 6 to 8: audits, enforcement, termination and the Archives' act, and revocation.
public enum EnforcementRules {
    public static let all: [Rule] = [
        openParts, auditScope, auditClose, grounds, auditDeadline, revocationGrounds, notice, recordedTimes, lateReply,
        reply, extensionRequest, extensionDecision, trackingPeriod, tracker, trackingLimit, phone, resolve,
        thirdTrackingTerminates, deadlineTerminates, terminationGrounds, terminationDate, serviceDisabledTime, close,
    ]

    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        StructureRules.refuse(rule, path, id, arguments)
    }

    /// Whether `instant` is at or after the end of the period whose last day is `date`
    /// (APA art. 48), and that end for messages. When the calendar of the last day's year
    /// is not in the repository yet, the question is still answered where it does not
    /// depend on the calendar: an instant before the last day ends is within the period
    /// whatever the holidays (a period never ends before its last day does), and one
    /// ``calendarMargin`` days later is past it. Only an instant in between is
    /// refused (S-CALENDAR), naming the calendar to add.
    /// More days than any run of rest days and closures can move a last day by: the
    /// longest in the DGPA calendars is the Lunar New Year's nine days (2026).
    static let calendarMargin = 31

    static func periodEnded(_ instant: Date, _ date: CalendarDate, _ context: RuleContext, _ path: String)
        -> Result<(ended: Bool, ends: String), DeadlineProblem> {
        do {
            let ends = try Deadlines.end(of: date, calendar: context.calendar)
            return .success((instant >= ends, Timestamp(ends).text))
        } catch {
            let provisional = "\(date) (calendar/\(date.year).yaml not yet in the repository)"
            if instant < Deadlines.startOfDay(Deadlines.adding(1, to: date)) { return .success((false, provisional)) }
            if instant >= Deadlines.startOfDay(Deadlines.adding(calendarMargin + 1, to: date)) { return .success((true, provisional)) }
            let message = Message(.ruleDeadlineUndecidable, [
                "path": path, "at": Timestamp(instant).text, "deadline": date.description,
                "file": "calendar/\(date.year).yaml", "year": "\(date.year)"])
            return .failure(DeadlineProblem(finding: Finding(rule: "S-CALENDAR", severity: .refuse, path: path, message: message)))
        }
    }

    /// The step, its case and the enforcement record before it, for an enforcement case.
    static func enforcement(_ input: CommitInput) -> (StepEvidence, CaseState, EnforcementRecord)? {
        guard let step = input.step, let state = input.state, state.caseFile.id.kind == .enforcement, !input.opensCase else { return nil }
        return (step, state, EnforcementRecord(state.steps))
    }

    /// A refusal whose message says what is wrong with a step's data, in both languages.
    static func problem(_ rule: String, _ step: StepEvidence, _ id: MessageID, _ problem: MessageID,
                        _ arguments: [String: String] = [:]) -> Finding {
        let arguments = arguments.merging(["path": step.path]) { a, _ in a }
        return Finding(rule: rule, severity: .refuse, path: step.path,
                       message: Message(id, arguments, parts: ["problem": Message(problem, arguments)]))
    }

    static func isPointSevenItem(_ item: Int) -> Bool { (1...8).contains(item) }

    /// The open step carries only the part of its own kind: grounds for enforcement, a
    /// scope for an audit, what was found for a revocation.
    static let openParts = Rule("S-OPEN-PART") { input, _ in
        guard input.opensCase, let step = input.step, let state = input.state, case .open(let open) = step.document.data else { return [] }
        let kind = state.caseFile.id.kind
        let present: [(String, Bool, CaseKind)] = [
            ("grounds", open.grounds != nil, .enforcement), ("audit", open.audit != nil, .audit), ("revocation", open.revocation != nil, .revocation),
        ]
        return present.compactMap { section, isThere, owner in
            guard isThere, owner != kind else { return nil }
            return refuse("S-OPEN-PART", step.path, .ruleOpenPartForeign, ["path": step.path, "section": section, "kind": kind.rawValue, "owner": owner.rawValue])
        }
    }

    // MARK: Audits (point 6)

    /// An audit says what it examines.
    static let auditScope = Rule("P6-SCOPE") { input, _ in
        guard input.opensCase, let step = input.step, let state = input.state, state.caseFile.id.kind == .audit,
              case .open(let open) = step.document.data else { return [] }
        guard let audit = open.audit, !audit.scope.trimmingCharacters(in: .whitespaces).isEmpty else {
            return [refuse("P6-SCOPE", step.path, .ruleOpenSection, ["path": step.path, "kind": "AUD", "section": "audit"])]
        }
        return []
    }

    /// An audit closes with a result that says what follows: improvement by a deadline
    /// after the close, or the point 7 items of a violation; either needs a finding first.
    static let auditClose = Rule("P6-CLOSE") { input, _ in
        guard let step = input.step, let state = input.state, case .auditClose(let close) = step.document.data else { return [] }
        var problems: [MessageID] = []
        let findings = state.steps.filter { $0.action == .auditFinding }.count
        switch close.result {
        case .compliant:
            if close.deadline != nil || !(close.items ?? []).isEmpty { problems.append(.problemCompliantExtras) }
        case .improvementRequired:
            if findings == 0 { problems.append(.problemFindingFirst) }
            if let deadline = close.deadline {
                if deadline <= CalendarDate(step.document.at.date) { problems.append(.problemDeadlineNotAfter) }
            } else {
                problems.append(.problemDeadlineMissing)
            }
        case .violation:
            if findings == 0 { problems.append(.problemFindingFirst) }
            let items = close.items ?? []
            if items.isEmpty || !items.allSatisfy(isPointSevenItem) { problems.append(.problemItems) }
        }
        return problems.map { problem("P6-CLOSE", step, .ruleAuditClose, $0, ["result": close.result.rawValue]) }
    }

    // MARK: Grounds (point 7)

    /// Point 7: the city acts on acts "committed and verified": the enforcement case names
    /// the items, the facts and the evidence, and states that they were verified.
    static let grounds = Rule("P7-GROUNDS") { input, _ in
        guard input.opensCase, let step = input.step, let state = input.state, state.caseFile.id.kind == .enforcement,
              case .open(let open) = step.document.data else { return [] }
        guard let grounds = open.grounds else {
            return [refuse("P7-GROUNDS", step.path, .ruleOpenSection, ["path": step.path, "kind": "ENF", "section": "grounds"])]
        }
        return groundsProblems(grounds).map { problem("P7-GROUNDS", step, .ruleGrounds, $0) }
    }

    /// What point 7 ¶1 needs of grounds: its items, the facts, the evidence, verified
    /// (「經查證屬實者」).
    static func groundsProblems(_ grounds: StepData.EnforcementGrounds) -> [MessageID] {
        var problems: [MessageID] = []
        if grounds.items.isEmpty || !grounds.items.allSatisfy(isPointSevenItem) { problems.append(.problemItems) }
        if grounds.facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(.problemFacts) }
        if grounds.evidence.isEmpty { problems.append(.problemEvidence) }
        if !grounds.verified { problems.append(.problemNotVerified) }
        return problems
    }

    /// Point 7 item 7 by way of an audit: the audit is the organization's, closed, and
    /// found a violation or set a deadline that has passed without improvement.
    static let auditDeadline = Rule("P7-AUDIT-DEADLINE", also: ["S-CALENDAR"]) { input, context in
        guard input.opensCase, let step = input.step, let state = input.state, state.caseFile.id.kind == .enforcement,
              case .open(let open) = step.document.data, let auditID = open.grounds?.audit else { return [] }
        let arguments = ["path": step.path, "audit": auditID.description]
        guard let audit = (input.organization ?? []).first(where: { $0.id == auditID }), auditID.kind == .audit,
              let last = audit.steps.last, case .auditClose(let close) = last.data else {
            return [refuse("P7-AUDIT-DEADLINE", step.path, .ruleAuditNotClosed, arguments)]
        }
        switch close.result {
        case .compliant:
            return [refuse("P7-AUDIT-DEADLINE", step.path, .ruleAuditCompliant, arguments)]
        case .violation:
            return []
        case .improvementRequired:
            guard let deadline = close.deadline else { return [] }
            switch periodEnded(step.document.at.date, deadline, context, step.path) {
            case .failure(let problem): return [problem.finding]
            case .success(let period):
                guard !period.ended else { return [] }
                return [refuse("P7-AUDIT-DEADLINE", step.path, .ruleAuditDeadlineNotPassed, arguments.merging([
                    "deadline": deadline.description, "ends": period.ends]) { a, _ in a })]
            }
        }
    }

    // MARK: Revocation (point 4)

    /// A revocation names what was found and the organization's cases it concerns.
    static let revocationGrounds = Rule("P4-REVOKE-GROUNDS") { input, _ in
        guard input.opensCase, let step = input.step, let state = input.state, state.caseFile.id.kind == .revocation,
              case .open(let open) = step.document.data else { return [] }
        guard let grounds = open.revocation else {
            return [refuse("P4-REVOKE-GROUNDS", step.path, .ruleOpenSection, ["path": step.path, "kind": "REV", "section": "revocation"])]
        }
        let known = Set((input.organization ?? []).filter { $0.id.kind.isApplication }.map(\.id))
        var findings: [Finding] = []
        if grounds.cases.isEmpty || grounds.evidence.isEmpty {
            findings.append(problem("P4-REVOKE-GROUNDS", step, .ruleGrounds, .problemEvidence))
        }
        for id in grounds.cases where !known.contains(id) {
            findings.append(refuse("P4-REVOKE-GROUNDS", step.path, .ruleRevocationCase, [
                "path": step.path, "case": id.description, "organization": state.caseFile.organization]))
        }
        return findings
    }

    // MARK: Suspension and improvement (point 8)

    /// The Annex 8 notice: numbered items, a deadline after the notice, a tracker who is
    /// Centre staff in the policy.
    static let notice = Rule("P8-NOTICE") { input, context in
        guard let step = input.step, case .suspend(let suspension) = step.document.data else { return [] }
        var problems: [MessageID] = []
        if suspension.items.isEmpty { problems.append(.problemNoItems) }
        if Set(suspension.items.map(\.number)).count != suspension.items.count { problems.append(.problemItemNumbers) }
        if suspension.deadline <= CalendarDate(step.document.at.date) { problems.append(.problemDeadlineNotAfter) }
        let tracker = context.policy.identities.first { $0.name == suspension.tracker }
        if tracker == nil || !(tracker?.roles.contains(.centreStaff) ?? false) || tracker?.revoked != nil {
            problems.append(.problemTracker)
        }
        return problems.map { problem("P8-NOTICE", step, .ruleNotice, $0, ["tracker": suspension.tracker]) }
    }

    /// A recorded fact happened before it was recorded: a reply's arrival, a phone call,
    /// the Archives' act.
    static let recordedTimes = Rule("P8-RECORDED-TIME") { input, _ in
        guard let step = input.step else { return [] }
        let claimed: Timestamp? = switch step.document.data {
        case .report(let report): report.receivedAt
        case .phoneConfirmation(let call): call.calledAt
        case .serviceDisabled(let act): act.disabledAt
        default: nil
        }
        guard let claimed, claimed > step.document.at else { return [] }
        return [refuse("P8-RECORDED-TIME", step.path, .ruleRecordedTime, ["path": step.path, "time": claimed.text, "at": step.document.at.text])]
    }

    /// A reply that arrives after the improvement period is recorded all the same (it is a
    /// fact), with a finding. It neither creates nor removes the duty to notify
    /// termination: that follows the city's trackings within the period (point 8 ¶4).
    static let lateReply = Rule("P8-LATE-REPLY") { input, context in
        guard let (step, _, record) = enforcement(input), case .report(let report) = step.document.data,
              let deadline = record.deadline else { return [] }
        switch periodEnded(report.receivedAt.date, deadline, context, step.path) {
        case .failure:
            // Lateness is a finding, not a refusal: undecidable until the calendar lands.
            return []
        case .success(let period):
            guard period.ended else { return [] }
            return [Finding(rule: "P8-LATE-REPLY", severity: .record, path: step.path, message: Message(.ruleLateReply, [
                "path": step.path, "received": report.receivedAt.text, "deadline": deadline.description]))]
        }
    }

    /// Point 8 ¶3: the reply is the user's completed Annex 8 「應併同相關佐證資料」: it
    /// answers every item of the notice by its number, once, saying how it was handled,
    /// and lists the evidence that came with it.
    static let reply = Rule("P8-REPLY") { input, _ in
        guard let (step, _, record) = enforcement(input), case .report(let report) = step.document.data,
              let suspension = record.suspension else { return [] }
        let notice = suspension.items.map(\.number)
        let answered = report.items.map(\.number)
        func list(_ numbers: [Int]) -> String { numbers.map(String.init).joined(separator: ", ") }
        var problems: [(MessageID, [String: String])] = []
        let missing = notice.filter { !answered.contains($0) }
        if !missing.isEmpty { problems.append((.problemReplyMissingItems, ["items": list(missing)])) }
        let unknown = answered.filter { !notice.contains($0) }
        if !unknown.isEmpty { problems.append((.problemReplyUnknownItems, ["items": list(unknown), "numbers": list(notice)])) }
        let twice = Set(answered.filter { number in answered.filter { $0 == number }.count > 1 }).sorted()
        if !twice.isEmpty { problems.append((.problemReplyItemTwice, ["items": list(twice)])) }
        let blank = report.items.filter { $0.handled.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map(\.number)
        if !blank.isEmpty { problems.append((.problemReplyBlankHandling, ["items": list(blank)])) }
        if (report.documents ?? []).isEmpty { problems.append((.problemReplyNoEvidence, [:])) }
        return problems.map { id, arguments in
            Finding(rule: "P8-REPLY", severity: .refuse, path: step.path,
                    message: Message(.ruleReply, ["path": step.path], parts: ["problem": Message(id, arguments)]))
        }
    }

    /// Point 8: an extension is asked for before the deadline, for a later date, one at a time.
    static let extensionRequest = Rule("P8-EXTENSION-REQUEST", also: ["S-CALENDAR"]) { input, context in
        guard let (step, _, record) = enforcement(input), case .extensionRequest(let request) = step.document.data,
              let deadline = record.deadline else { return [] }
        var findings: [Finding] = []
        switch periodEnded(step.document.at.date, deadline, context, step.path) {
        case .failure(let problem): findings.append(problem.finding)
        case .success(let period) where period.ended:
            findings.append(refuse("P8-EXTENSION-REQUEST", step.path, .ruleExtensionLate, [
                "path": step.path, "deadline": deadline.description, "ends": period.ends]))
        default: break
        }
        // 「如有正當理由」: a request states its reason.
        if request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            findings.append(refuse("P8-EXTENSION-REQUEST", step.path, .ruleExtensionNoReason, ["path": step.path]))
        }
        if request.requestedUntil <= deadline {
            findings.append(refuse("P8-EXTENSION-REQUEST", step.path, .ruleExtensionEarlier, [
                "path": step.path, "until": request.requestedUntil.description, "deadline": deadline.description]))
        }
        if record.pendingExtension != nil {
            findings.append(refuse("P8-EXTENSION-REQUEST", step.path, .ruleExtensionPending, ["path": step.path]))
        }
        return findings
    }

    /// The city decides a pending request; a granted extension moves the deadline later.
    static let extensionDecision = Rule("P8-EXTENSION-DECISION") { input, _ in
        guard let (step, _, record) = enforcement(input), case .extensionDecision(let decision) = step.document.data,
              let deadline = record.deadline else { return [] }
        guard record.pendingExtension != nil else {
            return [refuse("P8-EXTENSION-DECISION", step.path, .ruleExtensionNoRequest, ["path": step.path])]
        }
        if decision.granted {
            guard let until = decision.until, until > deadline else {
                return [refuse("P8-EXTENSION-DECISION", step.path, .ruleExtensionEarlier, [
                    "path": step.path, "until": decision.until?.description ?? "—", "deadline": deadline.description])]
            }
        } else if decision.until != nil {
            return [refuse("P8-EXTENSION-DECISION", step.path, .ruleExtensionDeniedDate, ["path": step.path])]
        }
        return []
    }

    /// Trackings happen within the improvement period (point 8).
    static let trackingPeriod = Rule("P8-TRACKING-PERIOD", also: ["S-CALENDAR"]) { input, context in
        guard let (step, _, record) = enforcement(input), step.document.action == .tracking, let deadline = record.deadline else { return [] }
        switch periodEnded(step.document.at.date, deadline, context, step.path) {
        case .failure(let problem): return [problem.finding]
        case .success(let period):
            guard period.ended else { return [] }
            return [refuse("P8-TRACKING-PERIOD", step.path, .ruleTrackingOutside, [
                "path": step.path, "at": step.document.at.text, "deadline": deadline.description, "ends": period.ends])]
        }
    }

    /// The staff the notice assigned track the improvement.
    static let tracker = Rule("P8-TRACKER") { input, context in
        guard let (step, _, record) = enforcement(input), step.document.action == .tracking, let suspension = record.suspension,
              case .verified(let signature) = step.signature, let identity = context.keys.identity(for: signature),
              identity.name != suspension.tracker else { return [] }
        return [refuse("P8-TRACKER", step.path, .ruleTracker, ["path": step.path, "name": identity.name, "tracker": suspension.tracker])]
    }

    /// Three trackings at most (point 8 ¶4 counts three): a fourth is not possible. What
    /// follows the third is said by P8-THIRD-TRACKING-TERMINATES or P8-RESOLVE.
    static let trackingLimit = Rule("P8-TRACKING-LIMIT") { input, _ in
        guard let (step, _, record) = enforcement(input), step.document.action == .tracking,
              record.trackings.count >= EnforcementRecord.trackingLimit else { return [] }
        return [refuse("P8-TRACKING-LIMIT", step.path, .ruleTrackingLimit, ["path": step.path, "count": "\(record.trackings.count)"])]
    }

    /// Point 8: a reply by email must be confirmed by telephone; a confirmation follows an
    /// emailed reply not yet confirmed.
    static let phone = Rule("P8-PHONE") { input, _ in
        guard let (step, _, record) = enforcement(input), case .phoneConfirmation(let call) = step.document.data else { return [] }
        guard record.awaitingConfirmation, let report = record.reports.last else {
            return [refuse("P8-PHONE", step.path, .rulePhoneNothingToConfirm, ["path": step.path])]
        }
        guard call.calledAt >= report.receivedAt else {
            return [refuse("P8-PHONE", step.path, .rulePhoneBeforeReply, [
                "path": step.path, "called": call.calledAt.text, "received": report.receivedAt.text])]
        }
        return []
    }

    /// The case is resolved when the user's replies count (an emailed one confirmed by
    /// phone) and answer every item of the notice, and the last tracking found the
    /// improvement completed. A reply that came late still counts here: lateness decides
    /// nothing (P8-LATE-REPLY), the trackings within the period do.
    static let resolve = Rule("P8-RESOLVE") { input, _ in
        guard let (step, _, record) = enforcement(input), step.document.action == .resolve, !record.isImproved else { return [] }
        var problems: [MessageID] = []
        if record.reports.isEmpty { problems.append(.ruleResolveNoReply) }
        if record.awaitingConfirmation { problems.append(.ruleResolveUnconfirmed) }
        if !record.reports.isEmpty && !record.unansweredItems.isEmpty { problems.append(.ruleResolveItemsUnanswered) }
        if !record.lastTrackingFoundDone { problems.append(.ruleResolveNotTracked) }
        let items = record.unansweredItems.map(String.init).joined(separator: ", ")
        return problems.map { refuse("P8-RESOLVE", step.path, $0, ["path": step.path, "items": items]) }
    }

    /// Why the next step must be the termination notice, if it must (point 8 ¶4:
    /// 「該用戶屆期未能完成改善或經三次追蹤限期改善情形仍無法完成改善事項者，本府…書面通知」,
    /// "the city notifies", no "may"): a third tracking still found the improvement undone,
    /// however the earlier ones came out; or the period (as extended) ended and no
    /// tracking within it found the improvement done. Judged by the city's trackings
    /// alone: a reply, in time or late, neither creates nor removes the duty.
    static func terminationDue(_ record: EnforcementRecord, at time: Date, _ context: RuleContext, _ path: String)
        -> Result<MessageID?, DeadlineProblem> {
        guard record.suspension != nil, record.notice == nil else { return .success(nil) }
        if record.thirdTrackingFoundUndone { return .success(.ruleMustTerminateTrackings) }
        guard let deadline = record.deadline, !record.lastTrackingFoundDone else { return .success(nil) }
        switch periodEnded(time, deadline, context, path) {
        case .failure(let problem): return .failure(problem)
        case .success(let period): return .success(period.ended ? .ruleMustTerminateDeadline : nil)
        }
    }

    /// Once termination is due, staff may only send the termination notice. Replies and
    /// phone confirmations the clerk records are facts and stay possible (P8-LATE-REPLY
    /// notes a late one); closing for a cancelled user is P7-CLOSE's to judge.
    /// The third tracking found the improvement undone (point 8 ¶4).
    static let thirdTrackingTerminates = mustTerminate("P8-THIRD-TRACKING-TERMINATES", .ruleMustTerminateTrackings)
    /// The period ended without the last tracking finding it done (point 8 ¶4); S-CALENDAR
    /// when the calendar that decides whether it ended is missing.
    static let deadlineTerminates = mustTerminate("P8-DEADLINE-TERMINATES", .ruleMustTerminateDeadline, also: ["S-CALENDAR"])

    /// The rule refusing every other step when termination is due for `reason`.
    static func mustTerminate(_ id: String, _ reason: MessageID, also: [String] = []) -> Rule { Rule(id, also: also) { input, context in
        guard let (step, _, record) = enforcement(input),
              ![.terminationNotice, .improvementReport, .phoneConfirmation, .enforcementClose].contains(step.document.action) else { return [] }
        switch terminationDue(record, at: step.document.at.date, context, step.path) {
        case .failure(let problem): return reason == .ruleMustTerminateDeadline ? [problem.finding] : []
        case .success(.some(.ruleMustTerminateDeadline)) where step.document.action == .extensionDecision && record.pendingExtension != nil:
            // Asked in time, the request is decided even when the city answers after the
            // deadline: a granted extension moves it later.
            return []
        case .success(.some(let due)) where due == reason:
            return [refuse(id, step.path, reason, ["path": step.path, "action": step.document.action.rawValue,
                                                   "deadline": record.deadline?.description ?? "—"])]
        case .success: return []
        }
    } }

    /// A termination notice after a suspension needs its ground: termination due under
    /// point 8 ¶4, or a new act under point 7 committed and verified, named in the
    /// notice's `grounds:` (point 7 lets the city terminate for it directly). From the
    /// open step the city terminates under point 7 on the case's own grounds.
    static let terminationGrounds = Rule("P8-TERMINATION-GROUNDS", also: ["S-CALENDAR"]) { input, context in
        guard let (step, _, record) = enforcement(input), case .terminationNotice(let notice) = step.document.data else { return [] }
        if let grounds = notice.grounds {
            return groundsProblems(grounds).map { problem("P8-TERMINATION-GROUNDS", step, .ruleGrounds, $0) }
        }
        guard let deadline = record.deadline else { return [] }
        switch terminationDue(record, at: step.document.at.date, context, step.path) {
        case .failure(let problem): return [problem.finding]
        case .success(.some): return []
        case .success(.none):
            return [refuse("P8-TERMINATION-GROUNDS", step.path, .ruleTerminationEarly, [
                "path": step.path, "count": "\(record.trackings.count)", "deadline": deadline.description])]
        }
    }

    /// The written notice names a termination date after the notice.
    static let terminationDate = Rule("P8-TERMINATION-DATE") { input, _ in
        guard let step = input.step, case .terminationNotice(let notice) = step.document.data,
              notice.terminationDate <= CalendarDate(step.document.at.date) else { return [] }
        return [refuse("P8-TERMINATION-DATE", step.path, .ruleTerminationDate, [
            "path": step.path, "date": notice.terminationDate.description, "at": step.document.at.text])]
    }

    /// The Archives disables service after 18:00 on the day before the termination date.
    /// An earlier act is the Archives', not the city's: it is recorded with a finding.
    static let serviceDisabledTime = Rule("P8-ARCHIVES-1800") { input, _ in
        guard let (step, _, record) = enforcement(input), case .serviceDisabled(let act) = step.document.data,
              let notice = record.notice else { return [] }
        let earliest = Deadlines.startOfDay(notice.terminationDate).addingTimeInterval(-6 * 3600)
        guard act.disabledAt.date < earliest else { return [] }
        return [Finding(rule: "P8-ARCHIVES-1800", severity: .record, path: step.path, message: Message(.ruleArchivesEarly, [
            "path": step.path, "at": act.disabledAt.text, "earliest": Timestamp(earliest).text]))]
    }

    /// Point 7 ¶1 「本府得暫停或中止」: the city *may* act. It may close an enforcement case
    /// without a measure, with its reasons, before any measure; and a user whose use was
    /// cancelled (an approved CAN, point 5) leaves nothing to enforce: the case may then
    /// be closed at any stage before the termination notice. The act stays on record
    /// (point 9 ¶2 counts it).
    static let close = Rule("P7-CLOSE") { input, context in
        guard let (step, _, record) = enforcement(input), case .enforcementClose(let close) = step.document.data else { return [] }
        var problems: [(MessageID, [String: String])] = []
        if close.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append((.problemCloseNote, [:])) }
        switch close.reason {
        case .noMeasure:
            if record.suspension != nil || record.notice != nil { problems.append((.problemCloseAfterMeasure, [:])) }
        case .userCancelled:
            let status = OrganizationHistory.status(input.organization ?? [], at: max(step.document.at.date, context.viewTime ?? .distantPast),
                                                    received: context.viewTime)
            if status != .cancelled { problems.append((.problemCloseNotCancelled, ["status": status.rawValue])) }
        }
        return problems.map { id, arguments in
            Finding(rule: "P7-CLOSE", severity: .refuse, path: step.path,
                    message: Message(.ruleEnforcementClose, ["path": step.path], parts: ["problem": Message(id, arguments)]))
        }
    }
}
