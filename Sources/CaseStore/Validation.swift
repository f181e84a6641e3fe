import Foundation
package import GitKit
import CaseModel
import CaseSigning
import CaseRules

/// A ref update as git gives it to pre-receive: `<old> <new> <ref>`.
public struct RefUpdate: Sendable {
    public let old: String
    public let new: String
    public let ref: String

    /// Parses one line of pre-receive input.
    public init?(line: Substring) {
        let parts = line.split(separator: " ")
        guard parts.count == 3, ObjectID(hex: String(parts[0])) != nil, ObjectID(hex: String(parts[1])) != nil else { return nil }
        old = String(parts[0])
        new = String(parts[1])
        ref = String(parts[2])
    }
}

extension CaseRepository {
    /// Validates each commit of `commits` (oldest first) against its parent.
    func validate(commits: [ObjectID]) throws -> [Finding] {
        let validator = CommitValidator(git: git, mode: .history(.init()), elsewhere: try elsewhere())
        var findings: [Finding] = []
        for id in commits {
            findings += try validator.validate(id).findings
        }
        return findings
    }

    /// `validate --range A..B`: the commits reachable from B and not from A, each judged
    /// at its own commit time.
    public func validate(range: String) throws -> (commits: Int, verdict: Verdict) {
        let parts = range.components(separatedBy: "..")
        guard parts.count == 2, let from = try resolve(parts[0]), let to = try resolve(parts[1]) else {
            throw CaseError(.optionInvalid, ["option": "--range", "value": range, "expected": "write A..B with two commits"])
        }
        let commits = try git.walk(from: [to], hiding: [from], oldestFirst: true)
        return (commits.count, Verdict(try validate(commits: commits)))
    }

    /// Every commit on `main`, each judged at its own commit time.
    public func verifyHistory() throws -> (commits: Int, verdict: Verdict) {
        let head = try headID()
        // The walk reads every commit, and libgit2 keeps what it read, up to a limit shared by
        // every handle of the process: walked here, the batches' handles found that limit
        // reached before they started and kept nothing (each tree read again for every
        // lookup). A handle of its own is freed with what it read.
        let commits = try Repository(path: git.gitDirectory).walk(from: [head], oldestFirst: true)
        var validator = CommitValidator(git: git, mode: .history(.init(latest: try Snapshot(git: git, commit: head).settings().keys,
                                                                        receivedAt: try receiptTimes(), receivedViews: try receiptViews())),
                                        elsewhere: try elsewhere())
        var findings: [Finding] = []
        // Runs of history are checked ahead on the other cores while this one replays them
        // in order (SignaturePipeline).
        let pipeline = SignaturePipeline(gitDirectory: git.gitDirectory, commits: commits)
        defer { pipeline.stop() }
        for (index, run) in pipeline.runs.enumerated() {
            validator.use(batch: pipeline.batch(index))
            for (id, file) in validator.batch?.caseFiles ?? [:] { validator.cache.caseFiles[id] = file }
            validator.cache.entries = validator.batch?.entries ?? [:]
            for id in commits[run] {
                let isRoot = try (validator.batch?.parsed[id] ?? git.commit(id)).parents.isEmpty
                findings += try (isRoot ? checkFirstCommit(id) : validator.validate(id).findings).map { finding in
                    var finding = finding
                    finding.commit = id.hex
                    return finding
                }
            }
            // At the end of a segment no worker is inside a run: this handle lets go of the
            // packs it read through, and libgit2 of their delta-base caches (history spread
            // over N packs would otherwise keep up to N × 16 MiB of them, docs/performance.md).
            if pipeline.endsSegment(index) { try git.reopenObjectDatabase() }
            pipeline.finished(index)
        }
        findings += try verifyReceipts()
        return (commits.count, Verdict(findings))
    }

    /// What the validator says of the tree made of `main`'s tip with `files` written over it,
    /// as a staged commit judged at `now`, storing nothing: the objects stay in this handle's
    /// memory and are dropped. How the fuzzer gives the validator whole trees.
    package func judge(files: [(path: String, contents: Data, mode: FileMode)], now: Date) throws -> [Finding] {
        struct Judged: Error { let findings: [Finding] }
        let tip = try headID()
        let validator = CommitValidator(git: git, mode: .local(now: now), elsewhere: try elsewhere())
        do {
            try git.writingOnePack {
                let changes = try files.map { TreeChange.set(path: $0.path, id: try git.writeBlob($0.contents), mode: $0.mode) }
                let tree = try git.buildTree(base: try git.commit(tip).tree, changes: changes)
                // Thrown, so that nothing is stored.
                throw Judged(findings: try validator.validateStaged(tree: tree, parent: tip).findings)
            }
        } catch let judged as Judged {
            return judged.findings
        }
        return []
    }

    /// `validate --staged` and the pre-commit hook: the index as the next commit.
    public func validateStaged(now: Date) throws -> Verdict {
        try CommitValidator(git: git, mode: .local(now: now), elsewhere: try elsewhere())
            .validateStaged(tree: try git.indexTree(), parent: try headID())
    }

    private func resolve(_ text: String) throws -> ObjectID? {
        do {
            return try git.resolveCommit(text)
        } catch {
            return nil
        }
    }

    /// The pre-receive hook: only fast-forwards of `main`, and every new commit passes the
    /// validator. Objects are read from the quarantine through the environment.
    public func preReceive(_ updates: [RefUpdate], now: Date, pusher: String? = nil) throws -> (commits: Int, verdict: Verdict) {
        var findings: [Finding] = []
        var checked = 0
        // The node the transport authenticated (webjcase serve, or any git host that says
        // who pushes) must be a node that may write here, whatever the commits say.
        if let pusher, try git.reference(Self.mainRef) != nil, let refusal = try settings().pusherRefusal(pusher) {
            return (0, Verdict([refusal]))
        }
        let others = try elsewhere()
        // The other jurisdictions as they are now, read once: every commit of the push is
        // judged by this view, and the receipt will record it for `verify`.
        let view = try CommitValidator.currentView(of: others)
        var validator = CommitValidator(git: git, mode: .push(now: now, view: view), elsewhere: others)
        for update in updates {
            guard let old = ObjectID(hex: update.old), let new = ObjectID(hex: update.new) else { continue }
            // The organizations' cases at the tip being extended come from the derived index
            // (rows checked against the tree), not from reading every case of the repository.
            if old != .zero, try git.reference(Self.mainRef) == old {
                validator.cache = try CaseIndex.organizationsCache(git, at: old)
                validator.useIndexFromNowOn()
            }
            let fastForward = update.ref == Self.mainRef && new != .zero && old != .zero && old != new
                ? try git.isDescendant(new, of: old) : nil
            if let refusal = PushRules.refUpdate(ref: update.ref, main: Self.mainRef, deletes: new == .zero, fastForward: fastForward) {
                findings.append(refusal)
                continue
            }
            let existing = try git.references(matching: "refs/*").map(\.id)
            let commits = try git.walk(from: [new], hiding: existing, oldestFirst: true)
            for id in commits {
                checked += 1
                let found: Verdict
                if try git.commit(id).parents.isEmpty, old == .zero, existing.isEmpty {
                    // The first push of a repository made by `webjcase init`: its first commit
                    // carries the template and the policy it is judged by.
                    found = Verdict(try checkFirstCommit(id))
                } else {
                    found = try validator.validate(id)
                }
                findings += found.findings
                // What follows a refused commit stands on it: the first refusal is the news.
                if !found.isAccepted { break }
            }
        }
        let verdict = Verdict(findings)
        if verdict.isAccepted {
            for update in updates where update.ref == Self.mainRef {
                if let new = ObjectID(hex: update.new), new != .zero { try recordView(view, of: new, now: now) }
            }
        }
        return (checked, verdict)
    }

    /// The first commit: only settings, trust and calendars, as regular files; readable
    /// settings; a signature by a node of its own policy allowed in its jurisdiction.
    func checkFirstCommit(_ id: ObjectID) throws -> [Finding] {
        var paths: [Finding] = []
        let changes: [PathChange]
        do {
            changes = try git.changes(from: nil, to: try git.commit(id).tree, limit: CommitValidator.maxChangedFiles)
        } catch let limit as TreeLimit {
            return [CommitValidator.treeLimitFinding(limit, commit: id.hex)]
        } catch let error as GitError where error.code == .invalid {
            return [HistoryRules.treeNames(commit: id.hex, detail: error.message)]
        }
        for change in changes {
            let kind = RepositoryPath(change.path)
            if kind == .unknown || kind.caseID != nil || change.newMode?.fileMode != .blob {
                paths.append(HistoryRules.firstCommitPath(commit: id.hex, path: change.path))
            }
        }
        guard paths.isEmpty else { return paths }
        // Issuing CAs chain to a root, and revocation lists come with their CA's signature,
        // here too (A-DOCUMENT, A-CRL).
        let first = try Snapshot(git: git, commit: id)
        if let problem = try CommitValidator.issuingCAProblem("trust/ca/", in: first) { paths.append(problem) }
        for change in changes where RepositoryPath(change.path).isCRL {
            if let bytes = try first.data(change.path),
               let problem = try CommitValidator.crlProblem(change.path, bytes: bytes, previous: nil, in: first) {
                paths.append(problem)
            }
        }
        guard paths.isEmpty else { return paths }
        let settings = try Snapshot(git: git, commit: id).settings()
        let signature: SignatureCheck
        switch try CommitSignatureVerdict.of(id, in: git, keys: settings.keys.keys) {
        case .unsigned:
            signature = .missing
        case .unknownKey, .bad:
            // The first commit brings the policy its signer must be in: a key it does not list signed nothing it knows.
            signature = .failed(Message(.ruleCommitBadSignature, ["commit": String(id.hex.prefix(12))]))
        case .verified(let verified):
            signature = .verified(verified)
        }
        return HistoryRules.firstCommitSignature(commit: id.hex, signature: signature, keys: settings.keys,
                                                 jurisdiction: settings.config.jurisdiction).map { [$0] } ?? []
    }
}
