import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// The work on many commits that does not depend on the replay's order, done ahead on
/// every core while the validator replays the history in order (DESIGN §6: "signature
/// checks in parallel, state replayed in order"): the node's signature over each commit,
/// each step envelope signed by keys (certificate-signed envelopes are left to the
/// validator), each commit's changed files compared, hashed and typed, and the step
/// documents and case files it adds decoded. Each answer is what the validator itself
/// would compute from the same bytes and keys, looked up by the object ids it was
/// computed from, so it cannot be applied to anything else; whatever is not here (a
/// document that does not read, say) the validator works out itself.
package final class HistoryPrefetch: @unchecked Sendable {
    /// Two trees, compared.
    struct TreePair: Hashable {
        let from: ObjectID
        let to: ObjectID
    }

    /// One commit's changes against its first parent: as git lists them, and as the rules
    /// see them (sizes, digests and types of the new contents).
    struct Changes {
        let paths: [PathChange]
        let files: [ChangedFile]
    }

    private(set) var commits: [ObjectID: (policy: ObjectID, verdict: CommitSignatureVerdict)] = [:]
    private(set) var steps: [StepKey: SignatureCheck] = [:]
    /// Each commit's changes against its first parent, by the two trees.
    private(set) var changes: [TreePair: Changes] = [:]
    /// The step documents the commits add, decoded, by blob id.
    private(set) var documents: [ObjectID: (document: StepDocument, digest: String)] = [:]
    /// The case files the commits add or change, decoded, by blob id.
    private(set) var caseFiles: [ObjectID: (file: CaseFile, digest: String)] = [:]
    /// The commits, read.
    private(set) var parsed: [ObjectID: Commit] = [:]
    /// What the validator looks up in each commit's tree and its parent's, looked up while
    /// the trees were at hand (nil: absent).
    private(set) var entries: [EntryKey: TreeEntry?] = [:]

    /// The repository-wide paths the validator reads in a commit's tree and its parent's
    /// (settings, trust, the cases and the calendars); the batch adds, for each case the
    /// commit touches, its directory and case file, and each new step and its envelope.
    static let settingsPaths = ["webjcase.yaml", "trust/policy.yaml", "trust/roots", "trust/ca", "trust/crl", "cases", "calendar"]

    /// A step's envelope checked against a policy's keys.
    struct StepKey: Hashable {
        let document: ObjectID
        let envelope: ObjectID
        let policy: ObjectID
        let path: String
    }

    /// The rules' view of changes: each new file's size, sha256 and type from its bytes
    /// (handed to `read` too, as libgit2 keeps no blob it has read).
    static func files(_ changes: [PathChange], in git: Repository,
                      read: (ObjectID, Data) -> Void = { _, _ in }) throws -> [ChangedFile] {
        try changes.map { change in
            var size: Int?
            var sha: String?
            var type: String?
            if let newID = change.newID, change.newMode?.fileMode == .blob {
                let bytes = try git.blob(newID)
                read(newID, bytes)
                size = bytes.count
                sha = Digest.sha256Hex(bytes)
                type = AttachmentType.detect(bytes)
            }
            let status: ChangedFile.Status = switch change.status {
            case .added: .added
            case .deleted: .deleted
            case .modified: .modified
            }
            return ChangedFile(path: change.path, status: status, mode: change.newMode?.rawValue,
                               oldMode: change.oldMode?.rawValue, size: size, sha256: sha, contentType: type)
        }
    }

    /// Checks the signatures of `commits` (consecutive, each against its first parent's
    /// policy) and does the rest of the work above, on the calling thread with a handle of
    /// its own: its commits' parent trees are then the ones it has just read.
    /// `SignaturePipeline` runs one on each core.
    static func check(gitDirectory: String, commits: [ObjectID]) -> HistoryPrefetch {
        let batch = HistoryPrefetch()
        guard let git = try? Repository(path: gitDirectory) else { return batch }
        var policies: [ObjectID: PolicyKeys?] = [:]
        // Sized for the run at once, not grown (and rehashed) as it goes.
        batch.commits.reserveCapacity(commits.count)
        batch.steps.reserveCapacity(commits.count)
        batch.changes.reserveCapacity(commits.count)
        batch.documents.reserveCapacity(commits.count)
        batch.parsed.reserveCapacity(commits.count)
        batch.entries.reserveCapacity(commits.count * (settingsPaths.count + 4))
        for id in commits {
            // The signature first: the commit is then parsed from the raw copy it read.
            let signed = (try? git.commitSignature(id)) ?? nil
            guard let commit = try? git.commit(id) else { continue }
            batch.parsed[id] = commit
            guard let parentID = commit.parents.first,
                  let parentTree = try? batch.parsed[parentID]?.tree ?? git.commit(parentID).tree,
                  let policyEntry = try? git.entry(at: "trust/policy.yaml", inTree: parentTree), !policyEntry.mode.isTree else { continue }
            let keys: PolicyKeys
            if let known = policies[policyEntry.id] {
                guard let known else { continue }
                keys = known
            } else {
                let parsed = (try? git.blob(policyEntry.id)).flatMap { try? PolicyFile.check($0, file: "trust/policy.yaml").1 }
                policies[policyEntry.id] = parsed
                guard let parsed else { continue }
                keys = parsed
            }
            batch.commits[id] = (policyEntry.id, CommitSignatureVerdict.classify(signed, keys: keys.keys))
            // Step envelopes added by the commit.
            var blobs: [ObjectID: Data] = [:]
            guard let changes = try? git.changes(from: parentTree, to: commit.tree, limit: CommitValidator.maxChangedFiles),
                  let files = try? files(changes, in: git, read: { blobs[$0] = $1 }) else { continue }
            batch.changes[TreePair(from: parentTree, to: commit.tree)] = Changes(paths: changes, files: files)
            var paths = settingsPaths
            for caseID in Set(files.compactMap(\.kind.caseID)) {
                paths += [caseID.directory, caseID.directory + "/case.yaml"]
            }
            for file in files where file.status == .added {
                if case .step(_, _, _, false) = file.kind { paths += [file.path, file.path + ".sig"] }
            }
            // A commit that changes nothing outside `cases/` has the same entries there as its
            // parent: the root's other entries keep their ids (every difference between two
            // trees is a change of some file below it).
            let onlyCases = changes.allSatisfy { $0.path.utf8.starts(with: "cases/".utf8) }
            for tree in [parentTree, commit.tree] {
                for path in paths {
                    let key = EntryKey(tree: tree, path: path)
                    // Absent is an answer too; an error is left to the validator to meet.
                    guard batch.entries[key] == nil else { continue }
                    if tree != parentTree, onlyCases, !path.utf8.starts(with: "cases".utf8),
                       let known = batch.entries[EntryKey(tree: parentTree, path: path)] {
                        batch.entries[key] = known
                        continue
                    }
                    do { batch.entries[key] = .some(try git.entry(at: path, inTree: tree)) } catch { continue }
                }
            }
            for (change, file) in zip(changes, files) where change.status != .deleted {
                // The digest `files` took of the same bytes.
                guard let documentID = change.newID, change.newMode?.fileMode == .blob, let sha = file.sha256 else { continue }
                if case .caseFile = file.kind, let bytes = blobs[documentID],
                   let caseFile = try? StrictYAML.decode(CaseFile.self, from: bytes, file: change.path) {
                    batch.caseFiles[documentID] = (caseFile, "sha256:" + sha)
                }
                guard change.status == .added, case .step(_, _, _, false) = file.kind,
                      let bytes = blobs[documentID] else { continue }
                if let document = try? StrictYAML.decode(StepDocument.self, from: bytes, file: change.path) {
                    batch.documents[documentID] = (document, "sha256:" + sha)
                }
                guard let signature = changes.first(where: { $0.path == change.path + ".sig" && $0.status == .added }),
                      let envelopeID = signature.newID, signature.newMode?.fileMode == .blob,
                      let envelopeBytes = blobs[envelopeID] else { continue }
                let check: SignatureCheck
                do {
                    let envelope = try SignatureEnvelope(decoding: envelopeBytes)
                    // Certificates are judged at the step's time against the tree's trust: the validator's.
                    guard !envelope.signatures.contains(where: { $0.chain != nil }) else { continue }
                    check = .verified(try envelope.verify(document: bytes, payloadType: stepPayloadType, keys: keys.keys)[0])
                } catch let error as SigningError {
                    check = .failed(error.message(file: change.path))
                } catch {
                    continue
                }
                batch.steps[StepKey(document: documentID, envelope: envelopeID, policy: policyEntry.id, path: change.path)] = check
            }
        }
        return batch
    }
}

/// The batches of a whole history, in runs of consecutive commits that the workers (one
/// per core) take one after the other as they become free, while the replay takes the
/// results in order: no core waits for another's half of a stretch, as when each stretch
/// was split in two and waited for its slower half. At most `window` runs are checked
/// ahead of the replay (memory). Each run opens a handle of its own and frees it with the
/// packs it read. A run that begins a segment of `segment` runs waits until the replay is
/// done with the segment before: at that moment no handle but the replay's holds a pack,
/// and when the replay lets go of its own, libgit2 frees them and their delta-base caches
/// (while runs follow one another without a pause, some handle always holds each pack).
final class SignaturePipeline: @unchecked Sendable {
    static let run = 256
    static let window = 4
    static let segment = 8

    let runs: [Range<Int>]
    private let commits: [ObjectID]
    private let directory: String
    private let condition = NSCondition()
    private var results: [HistoryPrefetch?]
    /// The next run a worker takes, and the runs the replay is done with.
    private var next = 0
    private var replayed = 0
    private var stopped = false

    init(gitDirectory: String, commits: [ObjectID], workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.commits = commits
        directory = gitDirectory
        runs = stride(from: 0, to: commits.count, by: Self.run).map { $0..<min($0 + Self.run, commits.count) }
        results = Array(repeating: nil, count: runs.count)
        for _ in 0..<max(1, min(workers, runs.count)) {
            let thread = Thread { [self] in work() }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while !stopped, next < runs.count,
                  next - replayed >= Self.window || (next % Self.segment == 0 && next > replayed) {
                condition.wait()
            }
            guard !stopped, next < runs.count else {
                condition.unlock()
                return
            }
            let index = next
            next += 1
            condition.unlock()
            let batch = HistoryPrefetch.check(gitDirectory: directory, commits: Array(commits[runs[index]]))
            condition.lock()
            results[index] = batch
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Run `index`'s batch, once a worker has checked it.
    func batch(_ index: Int) -> HistoryPrefetch {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        defer { results[index] = nil }
        return results[index]!
    }

    /// Whether run `index` ends a segment: when the replay is done with it, no worker is
    /// inside a run, and none starts one until `finished(index)`.
    func endsSegment(_ index: Int) -> Bool {
        (index + 1) % Self.segment == 0
    }

    /// The replay is done with run `index`.
    func finished(_ index: Int) {
        condition.lock()
        replayed = index + 1
        condition.broadcast()
        condition.unlock()
    }

    /// Lets the workers go (the replay ended, or stopped on an error).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
