import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
@testable import CaseRules
import CaseStore
import TestSupport

/// The cast of the explorations, as in the scenarios: a key for every node and person of
/// one policy, and a verified signature of each (the only way a rule accepts a signer).
struct Cast: Sendable {
    static let people: [(String, [Role], String?)] = [
        ("chen.clerk", [.clerk], "edu"), ("wu.clerk", [.clerk], nil), ("wang.reviewer", [.authorityReviewer], "edu"),
        ("hsu.reviewer", [.authorityReviewer], "social"), ("lee.centre", [.centreReviewer], nil),
        ("kao.staff", [.centreStaff], nil), ("liu.staff", [.centreStaff], nil), ("lin.admin", [.admin], nil),
    ]
    static let nodes: [(String, [Role], String?)] = [("edu1", [.agencyNode], "edu"), ("soc1", [.agencyNode], "social"), ("centre", [.centreNode], nil)]

    let policy: Policy
    let keys: PolicyKeys
    let signers: CandidateSigners
    let calendar: OfficeCalendar

    init() throws {
        var identities: [Policy.Identity] = []
        var nodes: [String: VerifiedSignature] = [:], people: [String: VerifiedSignature] = [:]
        for (name, roles, jurisdiction) in Self.nodes + Self.people {
            let key = SigningKey.generate()
            identities.append(.init(name: name, key: key.publicKey.authorizedKeysLine(comment: nil), roles: roles, jurisdiction: jurisdiction))
            let envelope = try SignatureEnvelope.sign(document: Data(name.utf8), payloadType: "t", key: key)
            let verified = try envelope.verify(document: Data(name.utf8), payloadType: "t", keys: [key.publicKey.fingerprint: key.publicKey])[0]
            if roles.contains(where: \.isNode) { nodes[name] = verified } else { people[name] = verified }
        }
        policy = Policy(version: 1, mode: .test, identities: identities, threshold: 1)
        keys = try PolicyKeys(policy)
        signers = CandidateSigners(nodes: nodes, people: people)
        // The office calendars the repository template ships.
        let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("repo-template/calendar")
        calendar = OfficeCalendar(try [2026, 2027].map { year in
            try StrictYAML.decode(CalendarFile.self, contentsOf: template.appendingPathComponent("\(year).yaml").path)
        })
    }

    var context: RuleContext {
        RuleContext(jurisdiction: "edu", policy: policy, keys: keys, now: Date(), calendar: calendar)
    }

    /// The last day the office calendars cover: explorations stay well before it.
    static let horizon = Timestamp("2027-11-30T00:00:00+08:00")!.date
}

/// One point of an exploration: a case (maybe not opened yet) among the organization's
/// cases, the time of the last thing that happened, and how it came to be.
struct World: Sendable {
    var situation: CaseSituation
    var time: Date
    var trail: [String]
    /// Which organization it started from (for reports).
    let start: String

    var isFinal: Bool { situation.isFinal }
}

/// A step the rules accept from a world, and the world after it.
struct Transition: Sendable {
    let judgement: Judgement
    let next: World
    /// A step of another case of the organization (a cancellation approved meanwhile).
    let external: Bool
}

/// Explores the cases of one kind from `open`: every candidate step (``Candidates``) at
/// every time that matters (soon, and each moment the rules name), judged by the
/// validator's rules (``NextSteps/judge(_:in:signers:)``).
struct Explorer {
    let cast: Cast
    let organization = "12345678"
    static let start = Timestamp("2026-03-02T09:00:00+08:00")!.date

    /// The times a next step is tried at: an hour later, and each moment after `time` at
    /// which the rules' verdict may change (the instant a period ends, 18:00 the day before a
    /// termination date…), so that every step is tried both before and after each deadline.
    func times(_ world: World, extra: [Date] = []) -> [Date] {
        let soon = world.time.addingTimeInterval(3600)
        return ([soon] + NextSteps.moments(world.situation, after: world.time) + extra)
            .filter { $0 < Cast.horizon }.sorted()
    }

    /// Every judgement of every candidate at `times`, abstract (the CLI's answer). With
    /// `inOrder`, only the actions the order of steps lets follow (the table P4-ORDER and
    /// P8-ORDER read, which refuse every other at any time): judging those too changes
    /// nothing but the time the exploration takes; a stuck world is told with them all.
    func judgements(_ world: World, at times: [Date], inOrder: Bool = false) -> [Judgement] {
        times.flatMap { time in
            candidates(world, at: time, inOrder: inOrder).map { NextSteps.judge($0, in: world.situation) }
        }
    }

    func candidates(_ world: World, at time: Date, inOrder: Bool) -> [CandidateStep] {
        let all = Candidates.steps(for: world.situation, at: time)
        guard inOrder, let stage = world.situation.stage else { return all }
        return all.filter { Workflow.next(world.situation.kind, stage, $0.action) != nil }
    }

    /// The world after an accepted step.
    func after(_ world: World, _ judgement: Judgement) -> World {
        let candidate = judgement.candidate
        let outcome = candidate.outcome.isEmpty ? "" : " (\(candidate.outcome))"
        let line = "\(Timestamp(candidate.at).text)  \(candidate.action.rawValue)\(outcome) by \(judgement.signers.joined(separator: " or "))"
        return World(situation: world.situation.recording(judgement.step, digest: judgement.digest, files: judgement.files),
                     time: candidate.at, trail: world.trail + [line], start: world.start)
    }

    /// The steps accepted from `world`, and what every refused candidate was refused for.
    func transitions(_ world: World, times: [Date]) -> (accepted: [Transition], refused: [Judgement]) {
        var accepted: [Transition] = [], refused: [Judgement] = []
        for judgement in judgements(world, at: times, inOrder: true) {
            if judgement.isAccepted {
                accepted.append(Transition(judgement: judgement, next: after(world, judgement), external: false))
            } else {
                refused.append(judgement)
            }
        }
        // Elsewhere in the organization: its cancellation approved while enforcement is under way.
        if world.situation.kind == .enforcement, world.situation.isOpened, !world.isFinal, let time = times.first,
           !world.situation.others.contains(where: { $0.id.kind == .cancel }),
           let cancelled = try? play(.cancel, number: 90, among: world.situation.organization, from: time,
                                     [(.submit, "all-annexes"), (.initialForward, ""), (.secondaryApprove, "")], strict: false) {
            var next = world
            next.situation = world.situation.with(others: world.situation.others + [cancelled.case])
            next.time = cancelled.time
            next.trail.append("\(Timestamp(cancelled.time).text)  (elsewhere) \(cancelled.case.id) approved: the organization cancels its use")
            accepted.append(Transition(judgement: cancelled.last, next: next, external: true))
        }
        if accepted.isEmpty { refused = judgements(world, at: times) }
        return (accepted, refused)
    }

    /// The signers the real rules accept for `judgement`, one real signature per identity,
    /// compared with the answer given without signatures.
    func signedSigners(_ judgement: Judgement, in world: World) -> [String] {
        NextSteps.judge(judgement.candidate, in: world.situation, signers: cast.signers).signers
    }

    struct PlayError: Error, CustomStringConvertible { let description: String }

    /// Plays a case of the organization to its end through the same machinery, each step
    /// required to be accepted: the organization's history a case is explored against.
    func play(_ kind: CaseKind, number: Int, among others: [OrganizationCase], from start: Date,
              _ steps: [(Action, String)], strict: Bool = true) throws -> (case: OrganizationCase, time: Date, last: Judgement) {
        let id = CaseID(kind: kind, year: 2026, node: kind.openedByAgency ? "edu1" : "centre", number: number)
        var world = World(situation: .unopened(id, organization: organization, context: cast.context, others: others),
                          time: start, trail: [], start: "")
        var last: Judgement?
        for (action, outcome) in [(Action.open, "")] + steps {
            // A step happens a minute after the one before, or at the first moment it may:
            // without a finding when it can be (the Archives after 18:00 the day before).
            let times = [world.time.addingTimeInterval(60)] + NextSteps.moments(world.situation, after: world.time)
            let judged = times.flatMap { time in
                Candidates.steps(action, for: world.situation, at: time)
                    .filter { outcome.isEmpty || $0.outcome == outcome }
                    .map { NextSteps.judge($0, in: world.situation) }
            }.filter(\.isAccepted)
            let found = judged.first { $0.records.isEmpty } ?? judged.first
            guard let judgement = found else {
                let refusals = Candidates.steps(action, for: world.situation, at: times[0])
                    .map { NextSteps.judge($0, in: world.situation) }.flatMap(\.refusals).map(\.description)
                if strict { Issue.record("setting up \(id): \(action.rawValue) \(outcome) refused: \(refusals)") }
                throw PlayError(description: "\(id) \(action.rawValue): \(refusals)")
            }
            world = after(world, judgement)
            last = judgement
        }
        return (OrganizationCase(id: id, steps: world.situation.state.steps), world.time, last!)
    }

    /// The organizations a case of each kind is explored against, each built by playing
    /// its cases through the rules: a new one; a registered user; paused; cancelled;
    /// terminated after three incomplete trackings; suspended and improved; revoked; one
    /// whose audit found a violation before it cancelled; one whose audit set a deadline.
    func starts(for kind: CaseKind) throws -> [(name: String, others: [OrganizationCase], time: Date)] {
        let registration: [(Action, String)] = [(.submit, "all-annexes"), (.initialForward, ""), (.secondaryApprove, "")]
        let (active, activeAt, _) = try play(.registration, number: 1, among: [], from: Self.start, registration)
        func then(_ kind: CaseKind, _ number: Int, _ base: [OrganizationCase], _ at: Date, _ steps: [(Action, String)]) throws
            -> ([OrganizationCase], Date) {
            let (made, time, _) = try play(kind, number: number, among: base, from: at.addingTimeInterval(86_400), steps)
            return (base + [made], time)
        }
        let paused = try then(.pause, 2, [active], activeAt, registration)
        let cancelled = try then(.cancel, 3, [active], activeAt, registration)
        let terminated = try then(.enforcement, 4, [active], activeAt, [
            (.suspend, ""), (.tracking, "incomplete"), (.tracking, "incomplete"), (.tracking, "incomplete"),
            (.terminationNotice, ""), (.serviceDisabled, ""),
        ])
        let improved = try then(.enforcement, 5, [active], activeAt, [
            (.suspend, ""), (.improvementReport, "letter"), (.tracking, "completed"), (.resolve, ""),
        ])
        let revoked = try then(.revocation, 6, [active], activeAt, [(.revoke, "")])
        let violation = try then(.audit, 7, [active], activeAt, [(.auditFinding, ""), (.auditClose, "violation")])
        let violationCancelled = try then(.cancel, 8, violation.0, violation.1, registration)
        let improvement = try then(.audit, 9, [active], activeAt, [(.auditFinding, ""), (.auditClose, "improvement-required")])
        let all: [(String, ([OrganizationCase], Date))] = [
            ("a new organization", ([], Self.start)), ("a registered user", ([active], activeAt)), ("a paused user", paused),
            ("a cancelled user", cancelled), ("a user terminated under point 8", terminated),
            ("a user suspended, then improved", improved), ("a revoked user", revoked),
            ("a user whose audit found a violation", violation),
            ("a user whose audit found a violation, then cancelled", violationCancelled),
            ("a user whose audit required improvement", improvement),
        ]
        let names: [String] = switch kind {
        case .registration: ["a new organization", "a paused user", "a cancelled user", "a user terminated under point 8",
                             "a user suspended, then improved", "a revoked user", "a user whose audit found a violation, then cancelled"]
        case .change, .pause: ["a registered user"]
        case .cancel: ["a registered user", "a paused user"]
        case .audit, .revocation: ["a registered user"]
        case .enforcement: ["a registered user", "a paused user", "a user whose audit found a violation", "a user whose audit required improvement"]
        }
        return all.filter { names.contains($0.0) }.map { ($0.0, $0.1.0, $0.1.1) }
    }

    /// The world of a case of `kind` about to be opened against an organization.
    func world(_ kind: CaseKind, _ start: (name: String, others: [OrganizationCase], time: Date)) -> World {
        let id = CaseID(kind: kind, year: 2026, node: kind.openedByAgency ? "edu1" : "centre", number: 50)
        return World(situation: .unopened(id, organization: organization, context: cast.context, others: start.others),
                     time: start.time.addingTimeInterval(86_400), trail: ["(\(start.name))"], start: start.name)
    }

    /// What the rules can see of a world, so that worlds they cannot tell apart are explored
    /// once: where the case stands and what it holds (annexes, corrections and whether their
    /// date passed, evaluations, the notice's items answered, trackings as the rules count
    /// them, a pending extension, an emailed reply awaiting its call, the termination), which
    /// deadlines have passed, and of the organization what the rules read: before the case
    /// is opened, its every case; after, its status and the cases of point 7 acts.
    func key(_ world: World) -> String {
        let situation = world.situation
        let steps = situation.state.steps
        let calendar = cast.calendar
        func passed(_ date: CalendarDate?) -> String {
            guard let date else { return "-" }
            guard let end = try? Deadlines.end(of: date, calendar: calendar) else { return "?" }
            return world.time >= end ? "passed" : "running"
        }
        var parts = [situation.kind.rawValue, situation.stage?.rawValue ?? "unopened"]
        parts.append("annexes " + WorkflowRules.receivedAnnexes(steps).sorted().map(String.init).joined(separator: ","))
        if case .correctionRequest(let request)? = situation.state.lastStep?.data { parts.append("correct-by " + passed(request.correctBy)) }
        parts.append("corrections \(min(steps.filter { $0.action == .initialCorrection || $0.action == .secondaryCorrection }.count, 1))")
        let evaluations = steps.compactMap { step -> StepData.ReapplicationEvaluation? in
            if case .evaluation(let evaluation) = step.data { return evaluation } else { return nil }
        }
        if let last = evaluations.last { parts.append("evaluation \(last.verdict.rawValue) \(last.cases.map(\.description).sorted())") }
        parts.append("findings \(min(steps.filter { $0.action == .auditFinding }.count, 1))")
        let record = EnforcementRecord(steps)
        if record.suspension != nil {
            let answered = Set(record.reports.flatMap { $0.items.map(\.number) }).sorted()
            parts.append("answered \(answered) awaiting \(record.awaitingConfirmation) pending \(record.pendingExtension != nil)")
            parts.append("trackings \(record.trackings.count) incomplete \(record.incompleteTrackings) last \(record.trackings.last?.rawValue ?? "-")")
            parts.append("period \(passed(record.deadline))")
        }
        if let notice = record.notice {
            let start = Deadlines.startOfDay(notice.terminationDate)
            parts.append("notice \(world.time >= start.addingTimeInterval(-6 * 3600)) \(world.time >= start)")
        }
        if situation.isOpened {
            let acts = OrganizationHistory.pointSevenCases(situation.others, before: world.time, received: world.time).map(\.id)
            let violations = situation.others.filter { other in
                if case .auditClose(let close)? = other.steps.last?.data { return close.result == .violation } else { return false }
            }.map(\.id)
            parts.append("acts \((acts + violations).map(\.description).sorted())")
        } else {
            for other in situation.others.sorted(by: { $0.id < $1.id }) {
                var part = "\(other.id.kind.rawValue) \(Workflow.stage(other.id.kind, after: other.history)?.rawValue ?? "?")"
                if case .auditClose(let close)? = other.steps.last?.data {
                    part += " \(close.result.rawValue) \(passed(close.deadline))"
                }
                if let notice = EnforcementRecord(other.steps).notice {
                    part += " terminated \(world.time >= Deadlines.startOfDay(notice.terminationDate))"
                }
                parts.append(part)
            }
        }
        parts.append("status " + OrganizationHistory.status(situation.organization, at: world.time, received: world.time).rawValue)
        return parts.joined(separator: "; ")
    }

    /// A stuck world, told so that it can be replayed: how it came to be and why each
    /// candidate was refused.
    func describe(stuck world: World, refused: [Judgement]) -> String {
        var text = "\(world.situation.id) (\(world.start)) is stuck at \(world.situation.stage?.rawValue ?? "unopened"), "
            + "\(Timestamp(world.time).text):\n  history:\n"
        text += world.trail.map { "    \($0)\n" }.joined()
        text += "  every candidate refused:\n"
        for judgement in refused {
            let candidate = judgement.candidate
            text += "    \(candidate.action.rawValue)\(candidate.outcome.isEmpty ? "" : " (\(candidate.outcome))") at \(Timestamp(candidate.at).text): "
                + judgement.refusals.map { "[\($0.rule)] \($0.message.render(.en))" }.joined(separator: " | ") + "\n"
        }
        return text
    }
}
