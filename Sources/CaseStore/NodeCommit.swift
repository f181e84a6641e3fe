import Foundation
package import GitKit
import CaseModel
import CaseSigning

/// Who commits: the name and e-mail a commit's author and committer lines carry, one
/// function per kind of committer. The e-mail is spelled here and nowhere else.
package struct CommitAuthor: Sendable, Equatable {
    package let name: String
    package let email: String

    /// A node in a case repository (steps, proposals, the first commit, replays).
    package static func node(_ node: String, jurisdiction: String) -> CommitAuthor {
        CommitAuthor(name: node, email: CommitterEmail.node(node, jurisdiction: jurisdiction))
    }

    /// A node in its personal store (`<jurisdiction>.personal.git`).
    package static func personal(_ node: String) -> CommitAuthor {
        CommitAuthor(name: node, email: CommitterEmail.personal(node))
    }

    /// The hub of `jurisdiction` (receipts, carried-out personal deletions).
    package static func hub(jurisdiction: String) -> CommitAuthor {
        CommitAuthor(name: "hub", email: CommitterEmail.hub(jurisdiction: jurisdiction))
    }

    /// The author and committer line at `time`, in Taipei's time zone.
    package func signature(at time: Date) -> Signature {
        Signature(name: name, email: email, time: time, timeZoneOffsetMinutes: Taipei.offsetSeconds / 60)
    }
}

/// Writes every commit a node or the hub makes: the message (a subject and trailers), the
/// author and committer (the same `CommitAuthor`, at the clock's time) and an SSHSIG
/// signature in git's namespace by the node's (or hub's) key. Nothing here moves a ref.
package enum NodeCommitWriter {
    /// SSHSIG's namespace for commits, as `git verify-commit` expects.
    package static let namespace = "git"

    /// A commit message: the subject line and, after a blank line, one `Key: value` line
    /// per trailer (none: the subject alone). Ends with a line break.
    package static func message(_ subject: String, trailers: [(key: String, value: String)] = []) -> String {
        guard !trailers.isEmpty else { return subject + "\n" }
        return subject + "\n\n" + trailers.map { "\($0.key): \($0.value)\n" }.joined()
    }

    /// Writes the commit of `tree` on `parent` (none: a root commit) by `author` at `time`,
    /// signed by `key`, and returns its id.
    package static func commit(in git: Repository, tree: ObjectID, parent: ObjectID?, message: String,
                               author: CommitAuthor, time: Date, key: SigningKey) throws -> ObjectID {
        let who = author.signature(at: time)
        return try git.createCommit(tree: tree, parent: parent, author: who, committer: who, message: message) { buffer in
            try SSHSignature.sign(buffer, namespace: namespace, key: key)
        }
    }
}

extension GitError {
    /// A compare-and-swap update of a ref failed because the ref is no longer where the
    /// caller saw it (moved, created meanwhile, or being updated by another writer).
    package var refMoved: Bool { code == .modified || code == .exists || code == .locked }
}

extension Repository {
    /// Moves `ref` from `expected` to `id` (compare-and-swap); when another writer moved it
    /// first, throws `repo.ref-moved` (status conflict) so that the person runs it again.
    package func moveReference(_ ref: String, to id: ObjectID, expected: ObjectID?, message: String) throws {
        do {
            try updateReference(ref, to: id, expected: expected, message: message)
        } catch let error as GitError where error.refMoved {
            throw CaseError(.repoRefMoved, ["ref": ref], status: .conflict)
        }
    }
}
