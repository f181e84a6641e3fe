import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules
import Yams

/// Everything a dossier of one case shows (`webjcase report`): the summary, every step
/// with its signer, times and verification marks, and for enforcement the Annex 8 notice
/// with its tracking table, deadlines and the termination times. Built from `main` and
/// from a full verification of the history, never from anything cached.
public struct Dossier: Sendable, Codable {
    /// How a document or step came out of `verify`.
    public enum Mark: String, Sendable, Codable {
        /// Every check passed.
        case verified
        /// Accepted with a finding for auditors (DESIGN §6 "record").
        case recorded
        /// A check failed: the history is broken here.
        case refused
    }

    /// A finding as the dossier prints it, in both languages.
    public struct Problem: Sendable, Codable, Equatable {
        public let rule: String
        public let severity: String
        public let en: String
        public let zhTW: String

        init(_ finding: Finding) {
            rule = finding.rule
            severity = finding.severity.rawValue
            en = finding.message.render(.en)
            zhTW = finding.message.render(.zhTW)
        }

        public func text(_ language: Language) -> String { language == .en ? en : zhTW }
    }

    /// Who signed a step: the policy's identity and, for a certificate signer, the subject.
    public struct Signer: Sendable, Codable {
        public let name: String?
        public let roles: [String]
        /// The SSH fingerprint of the signing key (the step's `actor`).
        public let key: String
        /// The certificate's subject (RFC 4514), when the signer signed with a certificate.
        public let subject: String?
    }

    /// One file a step's commit added to the case, and how it verified.
    public struct Document: Sendable, Codable {
        public enum Role: String, Sendable, Codable { case caseFile = "case", step, attachment, document }
        /// The path inside the case directory, e.g. `steps/0003-suspend.yaml`.
        public let path: String
        public let role: Role
        public let mark: Mark
        /// For an applicant document: the subject of the certificate that signed it.
        public let subject: String?
        /// For an applicant document: the organization's certificate that signed it.
        public let certificate: Certificate?
        public let problems: [Problem]
    }

    /// The certificate that signed an applicant document, as its signature carries it, and
    /// whether the form's own `signedAt` lies inside the certificate's validity window. The
    /// full judgement (chain to a root, revocation, organization) is the document's mark.
    public struct Certificate: Sendable, Codable, Equatable {
        /// How the document is signed: `envelope` (`FILE.sig`) or `cms` (`FILE.p7s`, detached CMS).
        public enum Form: String, Sendable, Codable { case envelope, cms }
        public let form: Form
        /// The subject, RFC 4514.
        public let subject: String
        /// The organization id in subjectDirectoryAttributes (2.16.886.1.100.2.102): a 統一編號 or an OID.
        public let organizationID: String?
        /// The issuer, RFC 4514.
        public let issuer: String
        /// The serial number, lowercase hex.
        public let serialNumber: String
        public let notBefore: String
        public let notAfter: String
        /// The form's `signedAt` as written, when the form states one.
        public let signedAt: String?
        /// Whether `signedAt` lies inside notBefore…notAfter; nil without a readable `signedAt`.
        public let validAtSigning: Bool?
        /// The CMS signingTime attribute, when the signer gave one.
        public let cmsSigningTime: String?

        init(form: Form, facts: CertificateFacts, signedAt: String?, cmsSigningTime: Date?) {
            self.form = form
            subject = facts.subject
            organizationID = facts.organizationID
            issuer = facts.issuer
            serialNumber = facts.serialNumber
            notBefore = Timestamp(facts.notBefore).text
            notAfter = Timestamp(facts.notAfter).text
            self.signedAt = signedAt
            validAtSigning = signedAt.flatMap(Timestamp.init).map { facts.isValid(at: $0.date) }
            self.cmsSigningTime = cmsSigningTime.map { Timestamp($0).text }
        }
    }

    /// One field of a step's data, flattened (`letter.number`, `items.1.requirement`).
    public struct Detail: Sendable, Codable, Equatable {
        public let key: String
        public let value: String
        /// A personal field: the record holds only its commitment (DESIGN §2).
        public let personal: Bool
    }

    public struct Entry: Sendable, Codable {
        public let sequence: Int
        public let action: String
        /// The signer's claimed time.
        public let signedAt: String
        /// When the hub received the commit (its signed receipt), if a receipt covers it.
        public let receivedAt: String?
        public let commit: String?
        /// The node that signed the commit.
        public let node: String?
        public let signer: Signer
        public let details: [Detail]
        public let documents: [Document]
        /// The worst mark of the step's documents and of findings on its commit.
        public let mark: Mark
        /// Findings on the commit that name no document of the step.
        public let problems: [Problem]
    }

    /// A row of Annex 8's tracking evaluation table.
    public struct TrackingRow: Sendable, Codable, Equatable {
        public let round: Int
        public let at: String
        public let tracker: String
        public let result: String
        public let notes: String
    }

    public struct ExtensionRow: Sendable, Codable, Equatable {
        public let requestedAt: String
        public let requestedUntil: String
        public let reason: String
        public let decidedAt: String?
        public let granted: Bool?
        public let until: String?
    }

    public struct ReplyRow: Sendable, Codable, Equatable {
        public let channel: String
        public let receivedAt: String
        /// The phone confirmation that made an emailed reply count.
        public let confirmedAt: String?
    }

    /// The enforcement part: the Annex 8 notice, its period, the trackings, the end.
    public struct Enforcement: Sendable, Codable {
        public let noticeLetter: String?
        public let items: [String]
        public let tracker: String?
        /// The deadline the notice set, and when that period ends under APA art. 48
        /// (provisional while a year it needs has no calendar).
        public let deadline: String?
        public let deadlineEnds: PeriodEnd?
        /// The deadline in force after extensions, and its end.
        public let deadlineInForce: String?
        public let deadlineInForceEnds: PeriodEnd?
        public let extensions: [ExtensionRow]
        public let replies: [ReplyRow]
        public let trackings: [TrackingRow]
        public let trackingLimit: Int
        public let terminationDate: String?
        /// 18:00 the day before the termination date: from then the Archives may disable.
        public let serviceDisableFrom: String?
        /// When the Archives say they disabled the service.
        public let serviceDisabledAt: String?
    }

    /// The verification of the whole repository the dossier was made from.
    public struct Verification: Sendable, Codable {
        public let commits: Int
        public let refused: Int
        public let recorded: Int
        public let head: String
    }

    public let id: String
    public let kind: String
    public let organization: String
    public let jurisdiction: String
    public let authority: String
    public let state: String
    public let subject: String?
    public let openedBy: String
    public let entries: [Dossier.Entry]
    public let enforcement: Enforcement?
    public let due: [DueItem]
    /// What may happen next (`webjcase next`), for a case that has not ended.
    public let next: NextReport?
    public let problems: [Problem]
    public let verification: Verification
    public let generatedAt: String

    /// The worst mark in the case.
    public var mark: Mark {
        entries.map(\.mark).max { $0.rank < $1.rank } ?? .verified
    }
}

extension Dossier.Mark {
    var rank: Int {
        switch self {
        case .verified: 0
        case .recorded: 1
        case .refused: 2
        }
    }

    static func of(_ findings: [Finding]) -> Self {
        if findings.contains(where: { $0.severity == .refuse }) { return .refused }
        return findings.isEmpty ? .verified : .recorded
    }
}

extension CaseRepository {
    /// The commit that recorded each step of a case, by sequence, walking `main`.
    func caseCommits(_ id: CaseID, head: ObjectID) throws -> [Int: ObjectID] {
        var commits: [Int: ObjectID] = [:]
        var sequence = 0
        for commitID in try git.walk(from: [head], oldestFirst: true) {
            let commit = try git.commit(commitID)
            if commit.trailers.contains(where: { $0.key == "Case" && $0.value == id.description }) {
                sequence += 1
                commits[sequence] = commitID
            }
        }
        return commits
    }

    /// Dossiers of the given cases (every case when nil), after one full verification.
    public func dossiers(_ only: [CaseID]? = nil, now: Date) throws -> [Dossier] {
        let head = try headID()
        let snapshot = try Snapshot(git: git, commit: head)
        let ids = try only ?? snapshot.caseIDs().sorted()
        for id in ids where try snapshot.data(id.directory + "/case.yaml") == nil {
            throw CaseError(.caseNotFound, ["case": id.description])
        }
        let (commits, verdict) = try verifyHistory()
        let verification = Dossier.Verification(commits: commits, refused: verdict.refusals.count,
                                                recorded: verdict.findings.count - verdict.refusals.count, head: head.hex)
        let byCommit = Dictionary(grouping: verdict.findings.filter { $0.commit != nil }) { $0.commit! }
        let received = try receiptTimes()
        let settings = try snapshot.settings()
        let calendar = try snapshot.calendar()
        let due = try self.due(now: now)
        let summaries = Dictionary(uniqueKeysWithValues: try status().map { ($0.id, $0) })
        let sources = try nextSources()
        return try ids.map { id in
            guard let state = try snapshot.caseState(id), let summary = summaries[id.description] else {
                throw CaseError(.caseNotFound, ["case": id.description])
            }
            let commits = try caseCommits(id, head: head)
            var entries: [Dossier.Entry] = []
            var names: [String: String] = [:]
            for (path, _, document, _) in try snapshot.steps(id.directory) {
                let commit = commits[document.sequence]
                let findings = commit.flatMap { byCommit[$0.hex] } ?? []
                let entry = try dossierEntry(id, path: path, document: document, commit: commit, findings: findings,
                                             snapshot: snapshot, keys: settings.keys, received: received)
                names[document.actor] = entry.signer.name
                entries.append(entry)
            }
            var subject: String?
            if case .open(let open)? = state.steps.first?.data { subject = open.subject }
            let caseProblems = verdict.findings.filter { finding in
                finding.path?.hasPrefix(id.directory + "/") == true && !commits.values.contains { $0.hex == finding.commit }
            }
            return Dossier(id: id.description, kind: id.kind.rawValue, organization: state.caseFile.organization,
                           jurisdiction: state.caseFile.jurisdiction, authority: settings.config.name, state: summary.state,
                           subject: subject, openedBy: state.caseFile.node, entries: entries,
                           enforcement: id.kind == .enforcement ? enforcement(state.steps, names: names, calendar: calendar) : nil,
                           due: due.filter { $0.caseID == id.description },
                           next: state.lastStep?.action.isFinal == true ? nil : try next(state, from: sources, at: now), problems: caseProblems.map(Dossier.Problem.init),
                           verification: verification, generatedAt: Timestamp(now).text)
        }
    }

    private func dossierEntry(_ id: CaseID, path: String, document: StepDocument, commit: ObjectID?, findings: [Finding],
                              snapshot: Snapshot, keys: PolicyKeys, received: [String: Date]) throws -> Dossier.Entry {
        let directory = id.directory + "/"
        // The signer: a certificate signer is named by the chain its envelope carries.
        let envelope = try snapshot.data(path + ".sig").flatMap { try? SignatureEnvelope(decoding: $0) }
        let leaf = envelope?.signatures.first { $0.keyid == document.actor }?.chain?.first.flatMap { Data(base64Encoded: $0) }
        let identity = leaf.map(Digest.prefixed).flatMap { keys.byCertificate[$0] } ?? keys.identity(for: document.actor)
        let signer = Dossier.Signer(name: identity?.name, roles: identity?.roles.map(\.rawValue) ?? [], key: document.actor,
                                    subject: leaf.flatMap { try? CertificateChain(der: [$0]).leafSubject })
        // The files the step's commit added to the case (signatures beside their documents).
        var files: [String] = []
        if let commit {
            let parent = try git.commit(commit).parents.first.map { try git.commit($0).tree }
            files = try git.changes(from: parent, to: try git.commit(commit).tree)
                .map(\.path).filter { $0.hasPrefix(directory) && !$0.hasSuffix(".sig") && !$0.hasSuffix(".p7s") }
        } else {
            files = [path]
        }
        var claimed = Set<Int>()
        let documents = try files.map { file -> Dossier.Document in
            let own = findings.enumerated().filter { $0.element.path == file || $0.element.path == file + ".sig" || $0.element.path == file + ".p7s" }
            claimed.formUnion(own.map(\.offset))
            let relative = String(file.dropFirst(directory.count))
            let role: Dossier.Document.Role = relative == "case.yaml" ? .caseFile
                : relative.hasPrefix("steps/") ? .step : relative.hasPrefix("documents/") ? .document : .attachment
            let certificate = role == .document ? try documentCertificate(file, snapshot: snapshot) : nil
            return Dossier.Document(path: relative, role: role, mark: .of(own.map(\.element)), subject: certificate?.subject,
                                    certificate: certificate, problems: own.map { Dossier.Problem($0.element) })
        }
        let rest = findings.enumerated().filter { !claimed.contains($0.offset) }.map(\.element)
        let node = commit.flatMap { try? git.commit($0).committer.name }
        return Dossier.Entry(sequence: document.sequence, action: document.action.rawValue, signedAt: document.at.text,
                             receivedAt: commit.flatMap { received[$0.hex] }.map { Timestamp($0).text }, commit: commit?.hex,
                             node: node, signer: signer, details: Self.details(document.data), documents: documents,
                             mark: .of(findings), problems: rest.map(Dossier.Problem.init))
    }

    /// The certificate that signed an applicant document: the first certified signer of its
    /// envelope, else the signer of its detached CMS; nil when neither carries one that parses.
    private func documentCertificate(_ file: String, snapshot: Snapshot) throws -> Dossier.Certificate? {
        var signedAt: String?
        if let form = try snapshot.data(file), let fields = try? StrictYAML.topLevelScalars(form, file: file) {
            signedAt = fields["signedAt"] ?? fields["at"]
        }
        if let envelope = try snapshot.data(file + ".sig").flatMap({ try? SignatureEnvelope(decoding: $0) }),
           let leaf = envelope.signatures.lazy.compactMap({ $0.chain?.first.flatMap { Data(base64Encoded: $0) } }).first,
           let chain = try? CertificateChain(der: [leaf]) {
            return Dossier.Certificate(form: .envelope, facts: chain.leafFacts(), signedAt: signedAt, cmsSigningTime: nil)
        }
        if let cms = try snapshot.data(file + ".p7s").flatMap({ try? CMSSignature(der: $0) }) {
            return Dossier.Certificate(form: .cms, facts: cms.chain.leafFacts(), signedAt: signedAt, cmsSigningTime: cms.signingTime)
        }
        return nil
    }

    private func enforcement(_ steps: [StepDocument], names: [String: String], calendar: OfficeCalendar) -> Dossier.Enforcement {
        let record = EnforcementRecord(steps)
        func end(_ date: CalendarDate?) -> PeriodEnd? {
            date.map { Deadlines.period(of: $0, calendar: calendar) }
        }
        var extensions: [Dossier.ExtensionRow] = []
        var replies: [Dossier.ReplyRow] = []
        var trackings: [Dossier.TrackingRow] = []
        var disabledAt: String?
        for step in steps {
            switch step.data {
            case .extensionRequest(let request):
                extensions.append(Dossier.ExtensionRow(requestedAt: step.at.text, requestedUntil: request.requestedUntil.description,
                                                       reason: request.reason, decidedAt: nil, granted: nil, until: nil))
            case .extensionDecision(let decision):
                if let last = extensions.popLast() {
                    extensions.append(Dossier.ExtensionRow(requestedAt: last.requestedAt, requestedUntil: last.requestedUntil,
                                                           reason: last.reason, decidedAt: step.at.text, granted: decision.granted,
                                                           until: decision.until?.description))
                }
            case .report(let report):
                replies.append(Dossier.ReplyRow(channel: report.channel.rawValue, receivedAt: report.receivedAt.text, confirmedAt: nil))
            case .phoneConfirmation(let call):
                if let last = replies.popLast() {
                    replies.append(Dossier.ReplyRow(channel: last.channel, receivedAt: last.receivedAt, confirmedAt: call.calledAt.text))
                }
            case .tracking(let tracking):
                trackings.append(Dossier.TrackingRow(round: trackings.count + 1, at: step.at.text,
                                                     tracker: names[step.actor] ?? step.actor,
                                                     result: tracking.result.rawValue, notes: tracking.notes))
            case .serviceDisabled(let disabled):
                disabledAt = disabled.disabledAt.text
            default:
                break
            }
        }
        let suspension = record.suspension
        let termination = record.notice.map { Deadlines.startOfDay($0.terminationDate) }
        return Dossier.Enforcement(
            noticeLetter: suspension.map { "\($0.letter.number) (\($0.letter.date.description))" },
            items: suspension?.items.map { "\($0.number). \($0.requirement)" } ?? [], tracker: suspension?.tracker,
            deadline: suspension?.deadline.description, deadlineEnds: end(suspension?.deadline),
            deadlineInForce: record.deadline?.description, deadlineInForceEnds: end(record.deadline),
            extensions: extensions, replies: replies, trackings: trackings, trackingLimit: EnforcementRecord.trackingLimit,
            terminationDate: record.notice?.terminationDate.description,
            serviceDisableFrom: termination.map { Timestamp($0.addingTimeInterval(-6 * 3600)).text },
            serviceDisabledAt: disabledAt)
    }

    /// A step's data as flat fields in the order of the form: nested keys joined by dots,
    /// lists of values on one line, lists of records numbered from 1.
    static func details(_ data: StepData) -> [Dossier.Detail] {
        guard let yaml = try? YAMLEncoder().encode(data.value), let root = try? Yams.compose(yaml: yaml) else { return [] }
        var found: [Dossier.Detail] = []
        func visit(_ node: Node, _ key: String) {
            switch node {
            case .mapping(let mapping):
                for (name, value) in mapping { visit(value, key.isEmpty ? name.string ?? "" : "\(key).\(name.string ?? "")") }
            case .sequence(let sequence):
                if sequence.allSatisfy({ $0.scalar != nil }) {
                    found.append(Dossier.Detail(key: key, value: sequence.compactMap(\.string).joined(separator: "; "), personal: false))
                } else {
                    for (index, element) in sequence.enumerated() { visit(element, "\(key).\(index + 1)") }
                }
            default:
                let text = node.string ?? ""
                found.append(Dossier.Detail(key: key, value: text, personal: PersonalField.isCommitment(text)))
            }
        }
        visit(root, "")
        return found
    }
}
