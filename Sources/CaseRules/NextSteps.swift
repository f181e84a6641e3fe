import Foundation
import CaseModel
import CaseSigning

/// A verified signature of each key that may act in a judgement of candidates, so that
/// the signer's rules (S-SIGNER, P4-ROLE, P8-TRACKER, S-COMMIT-SIGNATURE) run as they do on
/// a real step. Only whoever holds the keys can make these (tests do).
public struct CandidateSigners: Sendable {
    /// By node name: the signature of the commit.
    public let nodes: [String: VerifiedSignature]
    /// By the identity's name in the policy: the signature of the step.
    public let people: [String: VerifiedSignature]

    public init(nodes: [String: VerifiedSignature], people: [String: VerifiedSignature]) {
        self.nodes = nodes
        self.people = people
    }
}

/// What the rules said of one candidate step.
public struct Judgement: Sendable {
    public let candidate: CandidateStep
    /// The step document judged (its actor: the first signer that may sign it, when signed).
    public let step: StepDocument
    /// `sha256:` of the step, standing for its bytes once recorded.
    public let digest: String
    /// The paths the step's commit adds to the case.
    public let files: [String]
    public let refusals: [Finding]
    /// Findings kept for auditors: accepted, but noted (a late reply, the Archives' early act).
    public let records: [Finding]
    /// The policy's identities that may sign it, by name.
    public let signers: [String]

    public var isAccepted: Bool { refusals.isEmpty }
}

/// What may happen next in a case: candidate steps (``Candidates``) judged by the
/// validator's own rules (``CommitRules/judge(_:_:)``, every rule a step passes on the
/// hub), at now and at each later moment the rules name (the end of a period, 18:00 the
/// day before a termination date), with who may sign each.
///
/// The signer. A rule can only be handed a `VerifiedSignature`, which only a real signature
/// checked in CaseSigning makes: `webjcase next` holds nobody's key, so it judges each
/// candidate with the signer left out (the findings that only say "unsigned",
/// S-COMMIT-SIGNATURE and S-SIGNATURE, are set aside; P4-ROLE and P8-TRACKER say nothing
/// without a signature) and takes who may sign from the table P4-ROLE itself reads
/// (`Workflow.roles`), the tracker P8-TRACKER compares with, and S-SIGNER's conditions
/// (jurisdiction, revocation, retirement). Given ``CandidateSigners`` instead, it judges
/// the candidate once per identity with real signatures and every rule: the exploration
/// tests do both on every step they take and hold the two answers equal.
public enum NextSteps {
    /// Findings that only say a candidate carries no signature yet.
    static let unsigned: Set<String> = ["S-COMMIT-SIGNATURE", "S-SIGNATURE"]

    /// The rules' verdict on `candidate` in `situation`, at the candidate's time.
    public static func judge(_ candidate: CandidateStep, in situation: CaseSituation, signers: CandidateSigners? = nil) -> Judgement {
        let context = context(situation.context, at: candidate.at)
        let abstract = evidence(candidate, in: situation, actor: nil, signature: .missing, commitSignature: .missing)
        let findings = CommitRules.judge(abstract.input, context).filter { !unsigned.contains($0.rule) }
        var refusals = findings.refusals
        var records = findings.filter { $0.severity == .record }
        var document = abstract.step
        var names: [String] = []
        if refusals.isEmpty, let signers {
            // Every identity that holds a key here, judged by every rule with its signature.
            let node = signers.nodes[situation.state.caseFile.node].map(SignatureCheck.verified) ?? .missing
            for identity in situation.context.policy.identities.sorted(by: { $0.name < $1.name }) {
                guard let signature = signers.people[identity.name] else { continue }
                let signed = evidence(candidate, in: situation, actor: (identity.name, signature.keyID),
                                      signature: .verified(signature), commitSignature: node)
                let found = CommitRules.judge(signed.input, context)
                guard found.refusals.isEmpty else { continue }
                if names.isEmpty {
                    document = signed.step
                    records = found
                }
                names.append(identity.name)
            }
        } else if refusals.isEmpty {
            names = eligibleSigners(candidate.action, situation, at: candidate.at).map(\.name)
        }
        if refusals.isEmpty && names.isEmpty {
            let roles = Workflow.roles(situation.kind, candidate.action).map(\.rawValue).sorted().joined(separator: ", ")
            refusals = [Finding(rule: "\(Workflow.point(situation.kind))-ROLE", severity: .refuse, path: abstract.path,
                                message: Message(.nextNoSigner, ["action": candidate.action.rawValue, "roles": roles,
                                                                 "jurisdiction": situation.context.jurisdiction]))]
        }
        return Judgement(candidate: candidate, step: document, digest: abstract.digest, files: abstract.files,
                         refusals: refusals, records: records, signers: refusals.isEmpty ? names : [])
    }

    /// The policy's identities that may sign `action` at `time`: those holding a role the
    /// action needs (the table P4-ROLE reads), acting for this jurisdiction or the Centre,
    /// neither revoked nor retired by then (S-SIGNER); for a tracking, the tracker the
    /// notice names (P8-TRACKER).
    public static func eligibleSigners(_ action: Action, _ situation: CaseSituation, at time: Date) -> [Policy.Identity] {
        let found = eligibleSigners(roles: Workflow.roles(situation.kind, action), situation.context, at: time)
        guard action == .tracking, let suspension = EnforcementRecord(situation.state.steps).suspension else { return found }
        return found.filter { $0.name == suspension.tracker }
    }

    static func eligibleSigners(roles: Set<Role>, _ context: RuleContext, at time: Date) -> [Policy.Identity] {
        context.policy.identities.filter { identity in
            !roles.isDisjoint(with: identity.roles)
                && (identity.jurisdiction == nil || identity.jurisdiction == context.jurisdiction)
                && identity.revoked.map { time < $0.at.date } ?? true
                && identity.validUntil.map { time <= $0.date } ?? true
        }.sorted { $0.name < $1.name }
    }

    /// The context of the repository with its clock at `time`, judging live: the hub's
    /// view of the organization is taken then too.
    static func context(_ base: RuleContext, at time: Date) -> RuleContext {
        var context = RuleContext(jurisdiction: base.jurisdiction, policy: base.policy, keys: base.keys,
                                  attachmentLimits: base.attachmentLimits, now: time, futureTolerance: base.futureTolerance,
                                  calendar: base.calendar)
        context.viewTime = time
        return context
    }

    /// The commit that would record `candidate`: its step document, the scans it brings, the
    /// case file when it opens the case, committed by the node that opened the case.
    static func evidence(_ candidate: CandidateStep, in situation: CaseSituation, actor: (name: String, key: String)?,
                         signature: SignatureCheck, commitSignature: SignatureCheck)
        -> (input: CommitInput, step: StepDocument, path: String, digest: String, files: [String]) {
        let state = situation.state
        let id = situation.id
        let sequence = (state.lastStep?.sequence ?? 0) + 1
        let key = actor?.key ?? "SHA256:unsigned"
        let step = StepDocument(case: id, sequence: sequence, action: candidate.action, at: Timestamp(candidate.at), actor: key,
                                previous: state.lastDigest, data: candidate.data, attachments: candidate.scans)
        let path = "\(state.directory)/steps/\(step.fileName)"
        func added(_ path: String, size: Int? = nil, sha256: String? = nil, type: String? = nil) -> ChangedFile {
            ChangedFile(path: path, status: .added, mode: 0o100644, oldMode: nil, size: size, sha256: sha256, contentType: type)
        }
        var changes = [added(path, size: 600), added(path + ".sig", size: 400)]
        changes += candidate.scans.map { added("\(state.directory)/attachments/\($0.name)", size: $0.size, sha256: $0.sha256, type: "pdf") }
        if !situation.isOpened { changes.append(added(state.directory + "/case.yaml", size: 200)) }
        let node = state.caseFile.node
        let commit = CommitEvidence(
            id: String(repeating: "0", count: 40), parentCount: 1, changes: changes,
            trailers: [(key: "Case", value: id.description), (key: "Action", value: candidate.action.rawValue),
                       (key: "Actor", value: "\(actor?.name ?? "unsigned") <\(key)>")],
            committerName: node, committerEmail: CommitterEmail.node(node, jurisdiction: situation.context.jurisdiction),
            committerTime: candidate.at, signature: commitSignature)
        let digest = "sha256:" + Digest.sha256Hex(Data("\(id) \(sequence) \(candidate.action.rawValue) \(candidate.outcome) \(step.at.text)".utf8))
        let input = CommitInput(commit: commit, state: state, opensCase: !situation.isOpened,
                                step: StepEvidence(path: path, document: step, digest: digest, signature: signature),
                                organization: situation.organization)
        return (input, step, path, digest, changes.map(\.path))
    }

    /// The instants after `time` at which the rules' verdict on some step may change, as
    /// things stand: the end of the improvement period in force and of a date to correct by
    /// (APA art. 48), 18:00 the day before a termination date and that date, the end of an
    /// audit's deadline and a termination date among the organization's other cases; and the
    /// time of the last step when the clock is behind it.
    public static func moments(_ situation: CaseSituation, after time: Date) -> [Date] {
        let calendar = situation.context.calendar
        var found: [Date] = []
        func end(_ date: CalendarDate) {
            if let end = try? Deadlines.end(of: date, calendar: calendar) { return found.append(end) }
            // Without the calendar of its year, the rules answer before the last day ends and
            // from a margin after it, and refuse in between (S-CALENDAR).
            found += [Deadlines.startOfDay(Deadlines.adding(1, to: date)),
                      Deadlines.startOfDay(Deadlines.adding(EnforcementRules.calendarMargin + 1, to: date))]
        }
        func termination(_ date: CalendarDate) {
            let start = Deadlines.startOfDay(date)
            found += [start.addingTimeInterval(-6 * 3600), start]
        }
        let record = EnforcementRecord(situation.state.steps)
        if let deadline = record.deadline { end(deadline) }
        if let notice = record.notice { termination(notice.terminationDate) }
        for step in situation.state.steps {
            if case .correctionRequest(let request) = step.data { end(request.correctBy) }
        }
        for other in situation.others {
            for step in other.steps {
                switch step.data {
                case .auditClose(let close): if let deadline = close.deadline { end(deadline) }
                case .terminationNotice(let notice): termination(notice.terminationDate)
                default: break
                }
            }
        }
        if let last = situation.state.lastStep?.at.date { found.append(last) }
        return Array(Set(found.filter { $0 > time })).sorted()
    }

    /// Things the applicant (or the user under enforcement) sends and a clerk records.
    static let arrivals: Set<Action> = [.submit, .correct, .withdraw, .improvementReport, .extensionRequest]

    /// What may happen next in `situation`, judged at `time` and at each later moment the
    /// rules name (``moments(_:after:)``), as things stand.
    public static func report(_ situation: CaseSituation, at time: Date) -> NextReport {
        let stage = situation.stage
        let head = (case: situation.id.description, kind: situation.kind.rawValue, organization: situation.state.caseFile.organization,
                    stage: stage?.rawValue ?? "—", at: Timestamp(time).text)
        // An ended case has nothing next. One whose history does not replay (no stage) is
        // judged all the same: every step says why not (S-REPLAY).
        if stage?.isFinal == true {
            return NextReport(case: head.case, kind: head.kind, organization: head.organization, stage: head.stage,
                              final: true, at: head.at, waitingOnApplicant: false, nextPossibleAt: nil, options: [])
        }
        let times = [time] + moments(situation, after: time)
        // judged[action][i]: the judgements of the action's candidates at times[i].
        var judged: [Action: [[Judgement]]] = [:]
        for moment in times {
            var now: [Action: [Judgement]] = [:]
            for candidate in Candidates.steps(for: situation, at: moment) {
                now[candidate.action, default: []].append(judge(candidate, in: situation))
            }
            for (action, judgements) in now { judged[action, default: []].append(judgements) }
        }
        let record = EnforcementRecord(situation.state.steps)
        var options: [NextReport.Option] = []
        for action in Action.allCases {
            guard let rows = judged[action], rows.count == times.count else { continue }
            let accepted = rows.map { $0.filter(\.isAccepted) }
            let possible = !accepted[0].isEmpty
            let from = possible ? nil : accepted.indices.dropFirst().first { !accepted[$0].isEmpty }
            // An action no rule but the order of steps refuses, ever, is simply not next.
            if !possible, from == nil,
               rows[0].allSatisfy({ $0.refusals.contains { $0.rule.hasSuffix("-ORDER") } }) { continue }
            let shown = accepted[from ?? 0]
            func clean(_ i: Int) -> Bool { accepted[i].contains { $0.records.isEmpty } }
            let until = possible ? accepted.indices.dropFirst().first { accepted[$0].isEmpty } : nil
            let recordedFrom = possible && clean(0) ? accepted.indices.dropFirst().first { !accepted[$0].isEmpty && !clean($0) } : nil
            let cleanFrom = possible && !clean(0) ? accepted.indices.dropFirst().first { clean($0) } : nil
            var outcomes: [String] = []
            for judgement in shown where !outcomes.contains(judgement.candidate.outcome) { outcomes.append(judgement.candidate.outcome) }
            // Outcomes the rules accept only from a later moment (a rejection once the date to
            // correct by passed, a notice once the period ended while one for a new act may go now).
            var later: [NextReport.LaterOutcome] = []
            for index in accepted.indices.dropFirst((from ?? 0) + 1) {
                for judgement in accepted[index] {
                    let outcome = judgement.candidate.outcome
                    guard !outcomes.contains(outcome), !later.contains(where: { $0.outcome == outcome }) else { continue }
                    later.append(.init(outcome: outcome, from: Timestamp(times[index]).text))
                }
            }
            var signers: [String] = []
            for name in shown.flatMap(\.signers) where !signers.contains(name) { signers.append(name) }
            if shown.isEmpty { signers = eligibleSigners(action, situation, at: time).map(\.name) }
            options.append(NextReport.Option(
                action: action.rawValue, possible: possible, outcomes: outcomes.filter { !$0.isEmpty }, laterOutcomes: later,
                roles: Workflow.roles(situation.kind, action).map(\.rawValue).sorted(),
                tracker: action == .tracking ? record.suspension?.tracker : nil, signers: signers.sorted(),
                from: from.map { Timestamp(times[$0]).text }, until: until.map { Timestamp(times[$0]).text },
                deadline: deadline(action, situation, stage: stage),
                recordedFrom: recordedFrom.map { Timestamp(times[$0]).text }, cleanFrom: cleanFrom.map { Timestamp(times[$0]).text },
                findings: notes(shown.filter { $0.records.isEmpty == false }.flatMap(\.records)),
                refusals: possible ? [] : notes(rows[0].flatMap(\.refusals))))
        }
        // Possible now, then later (soonest first), then refused; within each, in the order
        // of the actions' list.
        let order = Dictionary(uniqueKeysWithValues: Action.allCases.enumerated().map { ($1.rawValue, $0) })
        options.sort { a, b in
            func rank(_ option: NextReport.Option) -> Int { option.possible ? 0 : option.from != nil ? 1 : 2 }
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if a.from != b.from, let x = a.from, let y = b.from { return x < y }
            return order[a.action, default: 0] < order[b.action, default: 0]
        }
        let now = options.filter(\.possible)
        let waiting = !now.isEmpty && now.allSatisfy { Action(rawValue: $0.action).map(arrivals.contains) ?? false }
        let later = now.isEmpty ? options.compactMap { $0.from.flatMap(Timestamp.init) }.min() : nil
        return NextReport(case: head.case, kind: head.kind, organization: head.organization, stage: head.stage, final: false,
                          at: head.at, waitingOnApplicant: waiting, nextPossibleAt: later?.text, options: options)
    }

    /// The deadline that governs an action: the improvement period in force for a reply, an
    /// extension request and a tracking; the date to correct by for a correction.
    static func deadline(_ action: Action, _ situation: CaseSituation, stage: CaseStage?) -> NextReport.Deadline? {
        func made(_ kind: NextReport.Deadline.Kind, _ date: CalendarDate) -> NextReport.Deadline {
            let period = Deadlines.period(of: date, calendar: situation.context.calendar)
            return NextReport.Deadline(kind: kind, date: date.description, ends: period.at, period: period)
        }
        switch (stage, action) {
        case (.improving, .improvementReport), (.improving, .extensionRequest), (.improving, .tracking):
            return EnforcementRecord(situation.state.steps).deadline.map { made(.improvementPeriod, $0) }
        case (.initialCorrection, .correct), (.secondaryCorrection, .correct):
            guard case .correctionRequest(let request)? = situation.state.lastStep?.data else { return nil }
            return made(.correctBy, request.correctBy)
        default:
            return nil
        }
    }

    /// Findings in both languages, each said once.
    static func notes(_ findings: [Finding]) -> [NextReport.Note] {
        var seen = Set<String>()
        var notes: [NextReport.Note] = []
        for finding in findings {
            let note = NextReport.Note(finding)
            if seen.insert(note.rule + "\u{0}" + note.en).inserted { notes.append(note) }
        }
        return notes
    }
}

/// What `webjcase next` prints with `--json` and a dossier's "next" box holds (docs/next.md).
public struct NextReport: Sendable, Codable, Equatable {
    /// A finding, in both languages.
    public struct Note: Sendable, Codable, Equatable {
        public let rule: String
        public let en: String
        public let zhTW: String

        enum CodingKeys: String, CodingKey {
            case rule, en
            case zhTW = "zh-TW"
        }

        init(_ finding: Finding) {
            rule = finding.rule
            en = finding.message.render(.en)
            zhTW = finding.message.render(.zhTW)
        }

        public func text(_ language: Language) -> String { "[\(rule)] " + (language == .en ? en : zhTW) }
    }

    /// The deadline that governs an action.
    public struct Deadline: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case improvementPeriod = "improvement-period"
            case correctBy = "correct-by"
        }
        public let kind: Kind
        /// The last day.
        public let date: String
        /// The instant the period ends (APA art. 48).
        public let ends: String
        /// How it ends, as `due` says it (provisional while a year it needs has no calendar).
        public let period: PeriodEnd
    }

    /// An outcome of an action that the rules accept only from a later time.
    public struct LaterOutcome: Sendable, Codable, Equatable {
        public let outcome: String
        public let from: String
    }

    /// One action and what the rules say of it.
    public struct Option: Sendable, Codable, Equatable {
        public let action: String
        /// Whether the rules accept it now.
        public let possible: Bool
        /// Its outcomes the rules accept (now, or from `from`).
        public let outcomes: [String]
        /// Its other outcomes, each accepted from a later time.
        public let laterOutcomes: [LaterOutcome]
        /// The roles that record it.
        public let roles: [String]
        /// For a tracking: the tracker the notice names.
        public let tracker: String?
        /// The identities of the policy in force that may sign it (for one the rules refuse
        /// now and later: who would).
        public let signers: [String]
        /// When it becomes possible, if not now.
        public let from: String?
        /// When it stops being possible, if it does as things stand.
        public let until: String?
        public let deadline: Deadline?
        /// From then it is still accepted, only with a finding (a late reply).
        public let recordedFrom: String?
        /// From then it is accepted without the finding it carries now (the Archives' act
        /// from 18:00 the day before).
        public let cleanFrom: String?
        /// The findings it would be recorded with (now, or from `from`).
        public let findings: [Note]
        /// Why not, when it is not possible now.
        public let refusals: [Note]
    }

    /// The version of this shape (docs/next.md).
    public private(set) var format = 1
    public let `case`: String
    public let kind: String
    public let organization: String
    public let stage: String
    public let final: Bool
    /// The time judged.
    public let at: String
    /// Only what the applicant (or the user) sends, recorded by a clerk, can move the case now.
    public let waitingOnApplicant: Bool
    /// When nothing is possible now: the earliest time something becomes possible.
    public let nextPossibleAt: String?
    /// Possible now first, then possible later (soonest first), then refused.
    public let options: [Option]

    /// Nothing may happen now nor later, as things stand, in a case that has not ended.
    public var isStuck: Bool { !final && !options.contains { $0.possible || $0.from != nil } }
}

extension NextReport {
    /// The report as lines of text in `language`, each with its depth (0 a heading, 1 an
    /// action, 2 what is said of it): what `webjcase next` prints and a dossier shows.
    public func lines(_ language: Language) -> [(depth: Int, text: String)] {
        func say(_ id: MessageID, _ arguments: [String: String] = [:]) -> String { Message(id, arguments).render(language) }
        let term = Catalogue.term("state", self.stage, language)
        let stage = term == self.stage ? term : "\(term) (\(self.stage))"
        var lines: [(Int, String)] = [(0, say(.nextHeader, ["case": `case`, "kind": kind, "organization": organization, "stage": stage, "at": at]))]
        if final { return lines + [(0, say(.nextFinal, ["case": `case`, "stage": stage]))] }
        if isStuck { lines.append((0, say(.nextStuck, ["case": `case`]))) }
        if waitingOnApplicant { lines.append((0, say(.nextWaiting))) }
        if let nextPossibleAt { lines.append((0, say(.nextNothingNow, ["at": nextPossibleAt]))) }
        let groups: [(MessageID, [Option])] = [
            (.nextNowHeading, options.filter(\.possible)),
            (.nextLaterHeading, options.filter { !$0.possible && $0.from != nil }),
            (.nextRefusedHeading, options.filter { !$0.possible && $0.from == nil }),
        ]
        for (heading, group) in groups where !group.isEmpty {
            lines.append((0, say(heading)))
            for option in group {
                let who = option.tracker != nil
                    ? say(.nextWhoTracker, ["names": option.signers.isEmpty ? "—" : option.signers.joined(separator: ", ")])
                    : say(.nextWhoRoles, ["roles": option.roles.joined(separator: ", "),
                                          "names": option.signers.isEmpty ? "—" : option.signers.joined(separator: ", ")])
                let outcomes = option.outcomes.isEmpty ? "" : " (" + option.outcomes.joined(separator: " | ") + ")"
                lines.append((1, say(.nextOption, ["action": option.action, "outcomes": outcomes, "who": who])))
                if let from = option.from { lines.append((2, say(.nextFrom, ["at": from]))) }
                for later in option.laterOutcomes where !later.outcome.isEmpty {
                    lines.append((2, say(.nextOutcomeFrom, ["outcome": later.outcome, "at": later.from])))
                }
                if let deadline = option.deadline {
                    let word: MessageID = deadline.kind == .improvementPeriod ? .nextDeadlineImprovement : .nextDeadlineCorrectBy
                    lines.append((2, say(.nextBy, ["deadline": say(word), "period": deadline.period.message.render(language)])))
                }
                if let until = option.until, until != option.deadline?.ends { lines.append((2, say(.nextUntil, ["at": until]))) }
                if let recordedFrom = option.recordedFrom { lines.append((2, say(.nextRecordedFrom, ["at": recordedFrom]))) }
                for finding in option.findings { lines.append((2, say(.nextRecordedWith, ["finding": finding.text(language)]))) }
                if let cleanFrom = option.cleanFrom { lines.append((2, say(.nextCleanFrom, ["at": cleanFrom]))) }
                for refusal in option.refusals { lines.append((2, refusal.text(language))) }
            }
        }
        return lines
    }
}
