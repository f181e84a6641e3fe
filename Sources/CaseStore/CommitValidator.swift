import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// How a commit is judged: by `step` on the node, by the hub for a push, or over history
/// (`verify`, and a node taking the hub's commits), with what each of them needs.
package enum ValidationMode {
    /// A node's own commit before `main` moves, judged at `now`. `useIndex`: the
    /// organizations' cases may come from the derived index.
    case local(now: Date, useIndex: Bool = false)
    /// A push on the hub, judged at `now` by the other jurisdictions' tips read once for the
    /// whole push (`view`, which the receipt records).
    case push(now: Date, view: [String: ObjectID], useIndex: Bool = false)
    /// History: each commit at its own committer time, with the hub's receipts.
    case history(HistoryEvidence)

    /// What judging history has beside the commits.
    package struct HistoryEvidence {
        /// The keys of the latest policy: a step signed by a key it revokes is reported
        /// (severity record) when no hub receipt vouches for when it was signed.
        package var latest: PolicyKeys?
        /// When the hub received each commit, by its receipts (DESIGN §5).
        package var receivedAt: [String: Date]
        /// The other jurisdictions' tips the hub judged each commit by, as its receipt
        /// recorded them (commit → jurisdiction → tip).
        package var receivedViews: [String: [String: ObjectID]]
        /// Signature checks done ahead, in parallel (`verify`).
        package var batch: HistoryPrefetch?
        /// A node taking the hub's commits on top of its own tip: the other repositories'
        /// organizations may come from their derived index.
        package var useIndex: Bool

        package init(latest: PolicyKeys? = nil, receivedAt: [String: Date] = [:],
                     receivedViews: [String: [String: ObjectID]] = [:], batch: HistoryPrefetch? = nil, useIndex: Bool = false) {
            self.latest = latest
            self.receivedAt = receivedAt
            self.receivedViews = receivedViews
            self.batch = batch
            self.useIndex = useIndex
        }
    }
}

/// Runs the validator on commits: the same code for `step` before it moves `main`, for
/// the pre-receive hook, and for `validate`/`verify` over history.
package struct CommitValidator {
    package let git: Repository
    /// Local, push or history, with what each needs.
    package var mode: ValidationMode
    /// The other jurisdictions' repositories a hub holds: the cross-case rules see the
    /// organization's cases there too, as their steps claimed them up to the time judged.
    package var elsewhere: [Repository] = []
    /// What this validator has read, by object id, for the next commit it judges.
    package var cache = SnapshotCache()

    package init(git: Repository, mode: ValidationMode, elsewhere: [Repository] = [], cache: SnapshotCache = SnapshotCache()) {
        self.git = git
        self.mode = mode
        self.elsewhere = elsewhere
        self.cache = cache
    }

    /// The time claims are judged against; nil in history, where each commit's own
    /// committer time is "now".
    private var now: Date? {
        switch mode {
        case .local(let now, _), .push(let now, _, _): return now
        case .history: return nil
        }
    }

    private var history: ValidationMode.HistoryEvidence? {
        if case .history(let evidence) = mode { return evidence }
        return nil
    }

    private var latest: PolicyKeys? { history?.latest }
    private var receivedAt: [String: Date] { history?.receivedAt ?? [:] }
    private var receivedViews: [String: [String: ObjectID]] { history?.receivedViews ?? [:] }
    package var batch: HistoryPrefetch? { history?.batch }

    /// The other jurisdictions' tips read once for a push.
    private var view: [String: ObjectID]? {
        if case .push(_, let view, _) = mode { return view }
        return nil
    }

    /// Whether the organizations' cases may come from the derived index (`step`, pushes and
    /// a node's sync; never `verify`, which derives everything from history).
    private var useIndex: Bool {
        switch mode {
        case .local(_, let useIndex), .push(_, _, let useIndex): return useIndex
        case .history(let evidence): return evidence.useIndex
        }
    }

    /// Judging history: the signature checks done ahead for the next run of commits.
    package mutating func use(batch: HistoryPrefetch?) {
        guard case .history(var evidence) = mode else { return }
        evidence.batch = batch
        mode = .history(evidence)
    }

    /// Judging a push: from here on the organizations' cases come from the derived index.
    package mutating func useIndexFromNowOn() {
        switch mode {
        case .local(let now, _): mode = .local(now: now, useIndex: true)
        case .push(let now, let view, _): mode = .push(now: now, view: view, useIndex: true)
        case .history(var evidence): evidence.useIndex = true; mode = .history(evidence)
        }
    }

    /// The most files one commit may add, change or remove: a step with its documents and
    /// attachments is a few dozen; more is refused before anything else is read of it.
    static let maxChangedFiles = 1_000

    /// S-LIMIT's evidence: a tree nested too deep, or too many files changed, for one commit.
    static func treeLimitFinding(_ limit: TreeLimit, commit: String) -> Finding {
        HistoryRules.limit(limit.kind == .depth ? .depth : .changes, limit: limit.limit, path: limit.path, commit: commit)
    }

    /// Steps whose rules look at the organization's other cases.
    static let crossCaseActions: Set<Action> = [.submit, .correct, .secondaryApprove, .reapplicationEvaluation, .enforcementClose]

    /// The verdict on `commit`, judged against its parent.
    package func validate(_ id: ObjectID) throws -> Verdict {
        Verdict(try findings(id))
    }

    /// All findings for `commit`, judged against its parent.
    private func findings(_ id: ObjectID) throws -> [Finding] {
        let commit = try batch?.parsed[id] ?? git.commit(id)
        guard let parentID = commit.parents.first else {
            return [HistoryRules.root(commit: id.hex)]
        }
        let parent = try batch?.parsed[parentID] ?? git.commit(parentID)
        let before = Snapshot(git: git, tree: parent.tree, cache: cache)
        let settings: RepositorySettings
        do {
            settings = try before.settings()
        } catch let error as CaseError {
            return [HistoryRules.unjudgeable(commit: id.hex, detail: error.message.id)]
        }
        let verdict: CommitSignatureVerdict
        if let batch, let known = batch.commits[id], try before.id("trust/policy.yaml") == known.policy {
            verdict = known.verdict
        } else {
            verdict = try CommitSignatureVerdict.of(id, in: git, keys: settings.keys.keys)
        }
        let signature = verdict.check(commit: String(id.hex.prefix(12)))
        var findings = try validate(tree: commit.tree, parent: parent, id: id.hex, parentCount: commit.parents.count,
                                    trailers: commit.trailers, committer: commit.committer, signature: signature,
                                    now: now ?? commit.committer.time)
        if case .verified(let verified) = signature, let identity = latest?.identity(for: verified), let revoked = identity.revoked,
           let finding = HistoryRules.revocation(identity, revoked, received: receivedAt[id.hex], path: "commit \(id.hex.prefix(12))") {
            findings.append(finding)
        }
        return findings
    }

    /// The rules that do not need a commit object, for a tree about to be committed
    /// (the pre-commit hook): the commit's signature, committer and trailers are checked
    /// once the commit exists, by `step` and on the hub.
    package func validateStaged(tree: ObjectID, parent: ObjectID) throws -> Verdict {
        guard let time = now else { preconditionFailure("a staged tree is judged live, at a time") }
        let placeholder = Signature(name: "", email: "", time: time)
        let commitLevel: Set<String> = ["S-COMMIT-SIGNATURE", "S-COMMITTER", "S-TRAILERS"]
        return Verdict(try validate(tree: tree, parent: git.commit(parent), id: "(staged)", parentCount: 1, trailers: [],
                                    committer: placeholder, signature: .missing, now: time)
            .filter { !commitLevel.contains($0.rule) })
    }

    private func validate(tree: ObjectID, parent: Commit, id: String, parentCount: Int,
                          trailers: [(key: String, value: String)], committer: Signature,
                          signature: SignatureCheck, now: Date) throws -> [Finding] {
        let before = Snapshot(git: git, tree: parent.tree, cache: cache)
        let after = Snapshot(git: git, tree: tree, cache: cache)
        let settings: RepositorySettings
        do {
            settings = try before.settings()
        } catch let error as CaseError {
            return [HistoryRules.unjudgeable(commit: id, detail: error.message.id)]
        }
        var context = RuleContext(jurisdiction: settings.config.jurisdiction, policy: settings.policy,
                                  keys: settings.keys, attachmentLimits: settings.config.attachments, now: now,
                                  futureTolerance: TimeInterval(settings.config.clockTolerance))

        let pathChanges: [PathChange]
        let changes: [ChangedFile]
        do {
            if let known = batch?.changes[.init(from: before.tree, to: tree)] {
                (pathChanges, changes) = (known.paths, known.files)
            } else {
                pathChanges = try git.changes(from: before.tree, to: tree, limit: Self.maxChangedFiles)
                changes = try HistoryPrefetch.files(pathChanges, in: git)
            }
        } catch let error as GitError where error.code == .invalid {
            return [HistoryRules.treeNames(commit: id, detail: error.message)]
        } catch let limit as TreeLimit {
            return [Self.treeLimitFinding(limit, commit: id)]
        }
        // The next commit of a replay starts from this tree: its organizations' index follows.
        defer { try? before.advanceOrganizations(to: after, changes: pathChanges) }
        var evidence = CommitEvidence(id: id, parentCount: parentCount, changes: changes, trailers: trailers,
                                      committerName: committer.name, committerEmail: committer.email,
                                      committerTime: committer.time, signature: signature)
        evidence.parentTime = parent.committer.time

        var findings: [Finding] = []
        var recorded: [Finding] = []
        var input = CommitInput(commit: evidence, state: nil, opensCase: false, step: nil)
        if input.isAdministrative {
            let administration = try administrativeChange(changes, before: before, after: after, settings: settings)
            return CommitRules.judge(CommitInput(commit: evidence, state: nil, opensCase: false, step: nil,
                                                    administration: administration), context)
        }
        let added = changes.filter { $0.status == .added }
        let cases = Set(added.compactMap { $0.kind.caseID })
        let stepPaths = added.filter {
            if case .step(_, _, _, false) = $0.kind { return true }
            return false
        }
        if cases.count == 1, let caseID = cases.first, stepPaths.count == 1 {
            do {
                let opensCase = added.contains { $0.kind == .caseFile(caseID) }
                let state: CaseState?
                if opensCase, let caseBytes = try after.data(caseID.directory + "/case.yaml") {
                    // Opening: the case as its new case.yaml says, before any step.
                    let path = caseID.directory + "/case.yaml"
                    state = CaseState(caseFile: try StrictYAML.decode(CaseFile.self, from: caseBytes, file: path),
                                      directory: caseID.directory, lastStep: nil,
                                      lastDigest: Digest.prefixed(caseBytes), paths: [])
                } else {
                    state = try before.caseState(caseID)
                }
                let step = try readStep(stepPaths[0].path, in: after, before: before, settings: settings)
                input = CommitInput(commit: evidence, state: state, opensCase: opensCase, step: step)
                try carryState(state, of: caseID, opened: opensCase, by: step, changes: changes, from: before, to: after)
                input.documents = try added.compactMap { change -> DocumentEvidence? in
                    guard case .document(let id, _, false) = change.kind, id == caseID else { return nil }
                    return try CaseRepository.readApplicantDocument(change.path, in: after, trustAt: before, policy: settings.policy)
                }
                // The time of the hub's view the cross-case rules judge by: now when judging
                // live (a step, a push), the commit's receipt in history; the claim only where
                // history has no receipt.
                context.viewTime = self.now ?? receivedAt[id]
                if let state, opensCase || Self.crossCaseActions.contains(step.document.action)
                    || !WorkflowRules.receivedDocuments(step.document).isEmpty {
                    input.organization = try before.organizationCases(state.caseFile.organization)
                        + organizationCasesElsewhere(state.caseFile.organization, view: context.viewTime, claimed: now, commit: id)
                }
                // Deadlines: enforcement and audits, and a rejection for a correction period
                // that lapsed (P4-REJECT-GROUNDS).
                if [.audit, .enforcement].contains(caseID.kind) || [.initialReject, .secondaryReject].contains(step.document.action) {
                    context.calendar = try before.calendar()
                }
                if case .verified(let signature) = step.signature, let identity = latest?.identity(for: signature),
                   let revoked = identity.revoked,
                   let finding = HistoryRules.revocation(identity, revoked, received: receivedAt[id], path: step.path) {
                    recorded.append(finding)
                }
                if let received = receivedAt[id] {
                    recorded += [HistoryRules.receiptClaim(step, received: received, tolerance: context.futureTolerance),
                                 HistoryRules.receiptDelay(step, received: received, tolerance: context.futureTolerance)].compactMap { $0 }
                }
            } catch let error as CaseError {
                findings.append(HistoryRules.unreadableStep(path: stepPaths[0].path, problem: error.message))
            }
        }
        return findings + CommitRules.judge(input, context) + recorded
    }

    /// Caches the case's state after a commit that only added its step and files beside
    /// it, derived from the state before, as `caseState` would read it from `after`: the
    /// next step of the case (often many commits later in a replay) then starts from it
    /// without reading and decoding the case's steps again. Anything else (a changed or
    /// removed file, a deeper path, a step numbered out of order) is left to be read.
    private func carryState(_ state: CaseState?, of id: CaseID, opened: Bool, by step: StepEvidence,
                            changes: [ChangedFile], from before: Snapshot, to after: Snapshot) throws {
        guard let state, case .step(_, let sequence, _, false) = RepositoryPath(step.path) else { return }
        let directory = id.directory
        var paths = opened ? [directory + "/case.yaml"] : state.paths
        // Every change under the directory, whatever its name parses as (one deeper than
        // the rules allow still shows in the state read from the tree), compared as bytes,
        // as git names them.
        let prefix = (directory + "/").utf8
        for change in changes where change.path.utf8.starts(with: prefix) {
            guard change.status == .added else { return }
            if case .caseFile = change.kind, opened { continue }
            let below = change.path.utf8.dropFirst(prefix.count).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard below.count == 2, ["steps", "documents", "attachments"].contains(where: { $0.utf8.elementsEqual(below[0]) }) else { return }
            paths.insert(change.path)
        }
        // The state before was read (or carried) in this run, with the number of its last step.
        var last: Int?
        if !opened {
            guard let known = try before.cachedCase(id) else { return }
            last = known.lastSequence
        }
        guard last.map({ $0 < sequence }) ?? true, let entry = try after.entry(directory), entry.mode.isTree else { return }
        cache.cases[entry.id] = (CaseState(caseFile: state.caseFile, directory: directory, lastStep: step.document,
                                           lastDigest: step.digest, paths: paths, history: state.history + [step.document.action],
                                           steps: state.steps + [step.document]), sequence)
    }

    /// One cache per other repository (their object ids are their own); for `step` and
    /// pushes, seeded with that repository's derived index of organizations.
    private func otherCache(_ other: Repository) throws -> SnapshotCache {
        if let known = cache.elsewhere[other.gitDirectory] { return known }
        var made = SnapshotCache()
        if useIndex, let head = try other.reference(CaseRepository.mainRef) { made = try CaseIndex.organizationsCache(other, at: head) }
        cache.elsewhere[other.gitDirectory] = made
        return made
    }

    /// The organization's cases in the other jurisdictions' repositories, as the hub saw
    /// them at `view`: judging live, each repository's `main` whole, as read once for the
    /// push (whatever a step there claims, it was received before this push); in history,
    /// the tips the commit's receipt says the hub judged it by, else `main` as it stood after
    /// the last push received by `view`, by that repository's receipts. Only a history
    /// without receipts (never through a hub) is cut by what its steps claim, up to `claimed`.
    private func organizationCasesElsewhere(_ organization: String, view: Date?, claimed: Date, commit: String) throws -> [OrganizationCase] {
        try elsewhere.flatMap { other -> [OrganizationCase] in
            let name = Self.jurisdiction(of: other)
            if self.now != nil, let tip = self.view?[name] {
                return try Snapshot(git: other, commit: tip, cache: try otherCache(other)).organizationCases(organization)
            }
            if self.now == nil, let tip = receivedViews[commit]?[name], (try? other.commit(tip)) != nil {
                return try Snapshot(git: other, commit: tip, cache: try otherCache(other)).organizationCases(organization)
            }
            guard let head = try other.reference(CaseRepository.mainRef) else { return [] }
            if self.now == nil, let receipts = try receivedTips(other), !receipts.isEmpty {
                let time = view ?? claimed
                guard let tip = receipts.last(where: { $0.at <= time })?.tip else { return [] }
                return try Snapshot(git: other, commit: tip, cache: try otherCache(other)).organizationCases(organization)
            }
            let cases = try Snapshot(git: other, commit: head, cache: try otherCache(other)).organizationCases(organization)
            guard self.now == nil else { return cases }
            return cases.compactMap { found in
                let steps = found.steps.filter { $0.at.date <= claimed }
                return steps.isEmpty ? nil : OrganizationCase(id: found.id, steps: steps)
            }
        }
    }

    /// A hub's repository's jurisdiction, by its name (`<root>/<jurisdiction>.git`).
    static func jurisdiction(of repository: Repository) -> String {
        HubLayout.jurisdiction(ofDirectory: repository.gitDirectory)
    }

    /// The other jurisdictions' tips now, for a live judgement and its receipt.
    static func currentView(of repositories: [Repository]) throws -> [String: ObjectID] {
        var view: [String: ObjectID] = [:]
        for other in repositories {
            if let tip = try other.reference(CaseRepository.mainRef) { view[jurisdiction(of: other)] = tip }
        }
        return view
    }

    /// The tips another repository's `main` had after each push, with when the hub received
    /// it, oldest first (its receipt chain); nil without receipts.
    private func receivedTips(_ other: Repository) throws -> [(at: Date, tip: ObjectID)]? {
        if let known = cache.receipts[other.gitDirectory] { return known }
        let tips = try CaseRepository(git: other, location: other.gitDirectory).receivedTips()
        cache.receipts[other.gitDirectory] = tips
        return tips
    }

    /// The evidence of a change of protected files: who signed each changed file (by the
    /// keys of the policy in force), and how the new versions read; AdministrativeRules
    /// judge it.
    private func administrativeChange(_ changes: [ChangedFile], before: Snapshot, after: Snapshot,
                                      settings: RepositorySettings) throws -> AdministrativeChange {
        var files: [AdministrativeChange.File] = []
        var problems: [AdministrativeChange.Problem] = []
        var lists: [AdministrativeChange.RevocationListProposal] = []
        var authorities: [String] = []
        var policy: (old: Policy, new: Policy)?
        var config: (old: RepositoryConfig, new: RepositoryConfig)?
        // A changed signature file counts as a change of its file: it must carry the
        // threshold over the file's bytes just the same.
        var changed: [String] = []
        for change in changes where change.status != .deleted && change.kind.isProtected {
            let path = change.kind.signedFile ?? change.path
            if !changed.contains(path) { changed.append(path) }
        }
        for path in changed {
            let kind = RepositoryPath(path)
            guard let bytes = try after.data(path) else {
                problems.append(.signatureWithoutFile(file: path))
                continue
            }
            if case .crl = kind {
                // A CRL needs no admin: its CA signed it, and that is what is checked.
                lists.append(.init(path: path, bytes: bytes, previous: try before.data(path)))
                files.append(.init(path: path, signers: [], problem: nil, selfAuthenticating: true))
                continue
            }
            files.append(Self.adminSignatures(path: path, bytes: bytes, previous: try before.data(path),
                                              envelope: try after.data(path + ".sig"), keys: settings.keys))
            do {
                switch kind {
                // A new signature over the same bytes changes nothing the rules of content judge.
                case .policy where try before.data(path) != bytes:
                    policy = (settings.policy, try PolicyFile.check(bytes, file: path).0)
                case .config where try before.data(path) != bytes:
                    config = (settings.config, try Snapshot.checkConfig(bytes, file: path))
                case .root:
                    do {
                        _ = try CertificateTrust(rootsPEM: [String(decoding: bytes, as: UTF8.self)], crls: [], production: false)
                    } catch let error as SigningError {
                        throw CaseError(error.message(file: path), status: .ruleBroken)
                    }
                    // A changed root must still anchor every issuing CA.
                    authorities.append(path)
                case .issuingCA:
                    authorities.append(path)
                case .calendar(let year):
                    let calendar = try StrictYAML.decode(CalendarFile.self, from: bytes, file: path)
                    if calendar.year != year { problems.append(.calendarYear(path: path, found: calendar.year, expected: year)) }
                default:
                    break
                }
            } catch let error as CaseError {
                problems.append(.unreadable(path: path, error.message))
            }
        }
        return AdministrativeChange(files: files, policy: policy, config: config, problems: problems, revocationLists: lists,
                                    changedAuthorities: authorities,
                                    authorities: lists.isEmpty && authorities.isEmpty ? nil : try after.authorities(),
                                    testRoots: try after.testRoots())
    }

    /// A-DOCUMENT's evidence for the issuing CAs of `tree` (`trust/ca/`): its trust files.
    static func issuingCAProblem(_ path: String, in tree: Snapshot) throws -> Finding? {
        TrustFileRules.issuingCAs(path, try tree.authorities())
    }

    /// A-DOCUMENT's and A-CRL's evidence for a revocation list proposed as `path`: its
    /// bytes, the ones it replaces, and the tree's authorities.
    static func crlProblem(_ path: String, bytes: Data, previous: Data?, in after: Snapshot) throws -> Finding? {
        TrustFileRules.crl(path, bytes: bytes, previous: previous, try after.authorities())
    }

    /// The verified signatures of a protected file's envelope, or why there are none.
    /// `previous` is the file's content before the change (nil: it is new).
    static func adminSignatures(path: String, bytes: Data, previous: Data?, envelope: Data?, keys: PolicyKeys) -> AdministrativeChange.File {
        guard let envelope else {
            return .init(path: path, signers: [], problem: Message(.ruleAdminSignatureMissing, ["path": path, "signature": path + ".sig"]))
        }
        do {
            let signers = try SignatureEnvelope(decoding: envelope)
                .verify(document: bytes, payloadType: protectedPayloadType(path, replacing: previous), keys: keys.keys)
            return .init(path: path, signers: signers, problem: nil)
        } catch let error as SigningError where error.code == .unknownKey {
            return .init(path: path, signers: [], problem: nil)
        } catch let error as SigningError {
            return .init(path: path, signers: [], problem: error.message(file: path))
        } catch {
            return .init(path: path, signers: [], problem: Message(.signatureMalformed, ["file": path, "detail": "\(error)"]))
        }
    }

    /// Reads a step document and checks its envelope: against the policy's keys, or, when
    /// it carries an X.509 chain, against the roots and CRLs in force, judged at the
    /// step's own signing time `at`.
    private func readStep(_ path: String, in snapshot: Snapshot, before: Snapshot, settings: RepositorySettings) throws -> StepEvidence {
        // A step is decoded once per run (the next step of its case finds it in the cache).
        let documentID = try snapshot.id(path)
        var read: Data?
        func bytes() throws -> Data {
            if let read { return read }
            let loaded = try snapshot.data(path) ?? Data()
            read = loaded
            return loaded
        }
        let document: StepDocument
        let digest: String
        if let documentID, let known = cache.steps[documentID] ?? batch?.documents[documentID] {
            (document, digest) = known
            cache.steps[documentID] = known
        } else {
            document = try StrictYAML.decode(StepDocument.self, from: try bytes(), file: path)
            digest = Digest.prefixed(try bytes())
            if let documentID { cache.steps[documentID] = (document, digest) }
        }
        let check: SignatureCheck
        if let batch, let documentID, let envelopeID = try snapshot.id(path + ".sig"),
           let policyID = try before.id("trust/policy.yaml"),
           let known = batch.steps[.init(document: documentID, envelope: envelopeID, policy: policyID, path: path)] {
            check = known
        } else if let envelopeBytes = try snapshot.data(path + ".sig") {
            do {
                let envelope = try SignatureEnvelope(decoding: envelopeBytes)
                if envelope.signatures.contains(where: { $0.chain != nil }) {
                    if envelope.signatures.contains(where: { $0.chain == nil }) {
                        // Entries without a chain are checked by key too: a bad one fails the envelope.
                        do {
                            _ = try envelope.verify(document: try bytes(), payloadType: stepPayloadType, keys: settings.keys.keys)
                        } catch let error as SigningError where error.code == .unknownKey {}
                    }
                    let trust = try before.certificateTrust(settings.policy)
                    let signedAt = document.at.date
                    let signed = try bytes()
                    let verdicts = try runBlocking {
                        try await envelope.verify(document: signed, payloadType: stepPayloadType, signedAt: signedAt, trust: trust)
                    }
                    switch verdicts[0] {
                    case .verified(let signature):
                        check = .verified(signature)
                    case .revokedAfterSigning(let at, _):
                        check = .failed(Message(.certificateRevokedAfterSigning, ["file": path, "detail": Timestamp(at).text]))
                    }
                } else {
                    check = .verified(try envelope.verify(document: try bytes(), payloadType: stepPayloadType, keys: settings.keys.keys)[0])
                }
            } catch let error as SigningError {
                check = .failed(error.message(file: path))
            }
        } else {
            check = .missing
        }
        return StepEvidence(path: path, document: document, digest: digest, signature: check)
    }
}
