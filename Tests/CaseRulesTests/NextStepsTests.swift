import Foundation
import Testing
import CaseModel
import CaseSigning
@testable import CaseRules
import TestSupport

/// `webjcase next`'s answer, in-process: cases played through the rules, then the report.
@Suite struct NextStepsTests {
    let explorer: Explorer

    init() throws {
        explorer = Explorer(cast: try Cast())
    }

    func at(_ text: String) -> Date { Timestamp(text)!.date }

    /// A registered user under enforcement, suspended on `2026-05-05` (deadline 30 days on),
    /// with `steps` after the suspension.
    func enforcement(_ steps: [(Action, String)]) throws -> CaseSituation {
        let (active, time, _) = try explorer.play(.registration, number: 1, among: [], from: Explorer.start,
                                                  [(.submit, "all-annexes"), (.initialForward, ""), (.secondaryApprove, "")])
        let (made, _, _) = try explorer.play(.enforcement, number: 2, among: [active],
                                             from: max(time, at("2026-05-05T09:00:00+08:00")), [(.suspend, "")] + steps)
        return CaseSituation(state: state(made), others: [active], context: explorer.cast.context)
    }

    func state(_ made: OrganizationCase) -> CaseState {
        CaseState(caseFile: CaseFile(id: made.id, organization: explorer.organization, jurisdiction: "edu", node: made.id.node),
                  directory: made.id.directory, lastStep: made.steps.last, lastDigest: "sha256:last", paths: [],
                  history: made.history, steps: made.steps)
    }

    func option(_ report: NextReport, _ action: Action) -> NextReport.Option? {
        report.options.first { $0.action == action.rawValue }
    }

    @Test func duringTheImprovementPeriodRepliesTrackingsAndExtensionsAreDueByItsEnd() throws {
        let situation = try enforcement([])
        let report = NextSteps.report(situation, at: at("2026-05-10T09:00:00+08:00"))
        #expect(report.stage == "improving" && !report.final && !report.waitingOnApplicant && !report.isStuck)
        // 2026-06-04 is a Thursday: the period ends at the end of that day.
        let ends = "2026-06-05T00:00:00+08:00"
        let reply = try #require(option(report, .improvementReport))
        #expect(reply.possible && reply.outcomes.contains("email") && reply.outcomes.contains("letter"))
        #expect(reply.signers == ["chen.clerk", "wu.clerk"] && reply.roles == ["clerk"])
        #expect(reply.deadline?.kind == .improvementPeriod && reply.deadline?.date == "2026-06-04" && reply.deadline?.ends == ends)
        #expect(reply.deadline?.period.rule == .lastDay && reply.deadline?.period.provisional == false)
        #expect(reply.until == nil && reply.recordedFrom == ends, "a late reply is recorded with a finding, never refused")
        let tracking = try #require(option(report, .tracking))
        #expect(tracking.possible && tracking.tracker == "kao.staff" && tracking.signers == ["kao.staff"], "\(tracking)")
        #expect(tracking.outcomes == ["completed", "incomplete"] && tracking.until == ends)
        let request = try #require(option(report, .extensionRequest))
        #expect(request.possible && request.until == ends)
        // A notice for a new act verified during the suspension may go now; one on the
        // case's own grounds once the period has ended.
        let notice = try #require(option(report, .terminationNotice))
        #expect(notice.possible && notice.outcomes == ["new-act"] && notice.signers == ["kao.staff", "liu.staff"], "\(notice)")
        #expect(notice.laterOutcomes == [.init(outcome: "case-grounds", from: ends)])
        let resolve = try #require(option(report, .resolve))
        #expect(!resolve.possible && resolve.from == nil && resolve.refusals.map(\.rule).contains("P8-RESOLVE"))
        #expect(option(report, .extensionDecision)?.possible == false, "no request to decide")
        #expect(option(report, .suspend) == nil, "out of order: not listed")
        #expect(report.options.prefix(while: \.possible).count == report.options.filter(\.possible).count, "possible ones first")
        let text = report.lines(.en).map(\.text).joined(separator: "\n")
        #expect(text.contains("tracking (completed | incomplete) — the tracker the notice names: kao.staff"), "\(text)")
        #expect(text.contains("the improvement period: by 2026-06-04 (until 24:00)"), "\(text)")
        let chinese = report.lines(.zhTW).map(\.text).joined(separator: "\n")
        #expect(chinese.contains("限期改善單指派之追蹤人員（kao.staff）"), "\(chinese)")
    }

    @Test func aRejectionForDocumentsThatCannotBeCorrectedWaitsForTheDateToCorrectBy() throws {
        let (made, _, _) = try explorer.play(.registration, number: 1, among: [], from: Explorer.start,
                                             [(.submit, "all-annexes"), (.initialCorrection, "")])
        let situation = CaseSituation(state: state(made), others: [], context: explorer.cast.context)
        let request = try #require(situation.state.steps.last.flatMap { step -> StepData.CorrectionRequest? in
            if case .correctionRequest(let request) = step.data { return request } else { return nil }
        })
        let ends = Timestamp(try Deadlines.end(of: request.correctBy, calendar: explorer.cast.calendar)).text
        let report = NextSteps.report(situation, at: at("2026-03-03T09:00:00+08:00"))
        let reject = try #require(option(report, .initialReject))
        #expect(reject.possible && reject.outcomes == ["ineligible", "false-statement"], "\(reject)")
        #expect(reject.laterOutcomes == [.init(outcome: "incomplete-uncorrectable", from: ends)])
        let correct = try #require(option(report, .correct))
        #expect(correct.possible && correct.deadline?.kind == .correctBy && correct.deadline?.date == request.correctBy.description
                && correct.deadline?.ends == ends)
        #expect(report.lines(.en).contains { $0.text == "incomplete-uncorrectable: from \(ends)" })
    }

    @Test func afterThreeIncompleteTrackingsOnlyTheNoticeAndRepliesRemain() throws {
        let situation = try enforcement([(.tracking, "incomplete"), (.tracking, "incomplete"), (.tracking, "incomplete")])
        let report = NextSteps.report(situation, at: at("2026-05-06T09:00:00+08:00"))
        let possible = report.options.filter(\.possible).map(\.action)
        #expect(Set(possible) == ["termination.notice", "improvement.report"], "\(possible)")
        #expect(option(report, .tracking)?.refusals.map(\.rule).contains("P8-TRACKING-LIMIT") == true)
        #expect(option(report, .resolve)?.refusals.map(\.rule).contains("P8-THIRD-TRACKING-TERMINATES") == true)
    }

    @Test func theArchivesActIsCleanFromSixInTheEveningTheDayBefore() throws {
        let situation = try enforcement([(.tracking, "incomplete"), (.tracking, "incomplete"), (.tracking, "incomplete"), (.terminationNotice, "")])
        let notice = try #require(EnforcementRecord(situation.state.steps).notice)
        let report = NextSteps.report(situation, at: situation.state.lastStep!.at.date.addingTimeInterval(3600))
        let disabled = try #require(option(report, .serviceDisabled))
        #expect(disabled.possible && disabled.findings.map(\.rule) == ["P8-ARCHIVES-1800"], "\(disabled)")
        let start = Deadlines.startOfDay(notice.terminationDate)
        #expect(disabled.cleanFrom == Timestamp(start.addingTimeInterval(-6 * 3600)).text)
    }

    @Test func anOpenedApplicationWaitsOnTheApplicant() throws {
        let id = CaseID("REG-2026-edu1-0001")!
        var world = World(situation: .unopened(id, organization: explorer.organization, context: explorer.cast.context, others: []),
                          time: Explorer.start, trail: [], start: "")
        let accepted = explorer.judgements(world, at: [Explorer.start]).filter(\.isAccepted)
        let open = try #require(accepted.first)
        world = explorer.after(world, open)
        let report = NextSteps.report(world.situation, at: at("2026-03-03T09:00:00+08:00"))
        #expect(report.waitingOnApplicant, "\(report.options.filter(\.possible).map(\.action))")
        #expect(Set(report.options.filter(\.possible).map(\.action)) == ["submit", "withdraw"])
        #expect(report.lines(.en).contains { $0.text.hasPrefix("Waiting on the applicant") })
        // Before the case's last step, nothing may happen yet: it says from when.
        let early = NextSteps.report(world.situation, at: at("2026-03-01T09:00:00+08:00"))
        #expect(early.options.filter(\.possible).isEmpty && early.nextPossibleAt == open.step.at.text, "\(early)")
    }

    /// A case no one may move is said to be stuck, with every refusal: here a revocation
    /// whose policy lost its only Centre reviewer after the case was opened.
    @Test func aCaseNoOneMayMoveIsStuckAndSaysWhy() throws {
        let (active, time, _) = try explorer.play(.registration, number: 1, among: [], from: Explorer.start,
                                                  [(.submit, "all-annexes"), (.initialForward, ""), (.secondaryApprove, "")])
        let (made, _, _) = try explorer.play(.revocation, number: 2, among: [active], from: time, [])
        let cast = explorer.cast
        var policy = cast.policy
        policy.identities.removeAll { $0.name == "lee.centre" }
        let context = RuleContext(jurisdiction: "edu", policy: policy, keys: try PolicyKeys(policy), now: Date(), calendar: cast.calendar)
        let situation = CaseSituation(state: state(made), others: [active], context: context)
        let report = NextSteps.report(situation, at: at("2026-03-10T09:00:00+08:00"))
        #expect(report.isStuck && report.options.map(\.action) == ["revoke"], "\(report)")
        #expect(report.options.first?.refusals.map(\.rule) == ["P4-ROLE"])
        let text = report.lines(.en).map(\.text).joined(separator: "\n")
        #expect(text.contains("Nothing may happen in REV-2026-centre-0002, now or later") && text.contains("centre-reviewer"), "\(text)")
        // The exploration tells such a world with its history and each refusal.
        let world = World(situation: situation, time: at("2026-03-10T09:00:00+08:00"), trail: ["2026-03-02  open"], start: "a registered user")
        let told = explorer.describe(stuck: world, refused: explorer.judgements(world, at: explorer.times(world)))
        #expect(told.contains("REV-2026-centre-0002 (a registered user) is stuck at opened") && told.contains("2026-03-02  open")
                && told.contains("revoke at 2026-03-10T10:00:00+08:00: [P4-ROLE]"), "\(told)")
    }

    @Test func anEndedCaseHasNothingNext() throws {
        let situation = try enforcement([(.improvementReport, "letter"), (.tracking, "completed"), (.resolve, "")])
        let report = NextSteps.report(situation, at: at("2026-06-20T09:00:00+08:00"))
        #expect(report.final && report.stage == "improved" && report.options.isEmpty && !report.isStuck)
        #expect(report.lines(.en).last?.text.contains("has ended") == true)
    }
}
