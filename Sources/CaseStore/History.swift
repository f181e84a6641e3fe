import Foundation
package import GitKit
import CaseModel
import CaseSigning
import CaseRules

/// One step of a case as `log` shows it.
public struct LogEntry: Sendable, Codable {
    public let sequence: Int
    public let action: String
    public let at: String
    public let actor: String
    public let actorName: String?
    public let commit: String?
    public let path: String
    public let attachments: [String]
}

/// One case as `status` shows it.
public struct CaseSummary: Sendable, Codable {
    public let id: String
    public let kind: String
    public let organization: String
    public let jurisdiction: String
    public let state: String
    public let steps: Int
    public let lastAction: String
    public let lastAt: String
}

extension CaseRepository {
    /// The steps of a case in order, each with the commit that recorded it.
    public func log(_ id: CaseID) throws -> [LogEntry] {
        let head = try headID()
        let snapshot = try Snapshot(git: git, commit: head)
        guard try snapshot.data(id.directory + "/case.yaml") != nil else {
            throw CaseError(.caseNotFound, ["case": id.description])
        }
        let keys = try snapshot.settings().keys
        let commits = try caseCommits(id, head: head).mapValues(\.hex)
        return try snapshot.steps(id.directory).map { path, _, document, _ in
            // A certificate signer is named by its certificate, found in the envelope's chain.
            let chain = try snapshot.data(path + ".sig").flatMap { try? SignatureEnvelope(decoding: $0) }?
                .signatures.first { $0.keyid == document.actor }?.chain?.first
            let name = chain.flatMap { Data(base64Encoded: $0) }.map(Digest.prefixed).flatMap { keys.byCertificate[$0]?.name }
                ?? keys.identity(for: document.actor)?.name
            return LogEntry(sequence: document.sequence, action: document.action.rawValue, at: document.at.text,
                     actor: document.actor, actorName: name,
                     commit: commits[document.sequence], path: path,
                     attachments: document.attachments.map(\.name))
        }
    }

    /// Every case in the repository, or one, from the derived index (rebuilt where it is
    /// not the tree's).
    public func status(_ only: CaseID? = nil) throws -> [CaseSummary] {
        let (snapshot, index, _) = try CaseIndex.indexed(git, at: try headID())
        if let only, try snapshot.data(only.directory + "/case.yaml") == nil {
            throw CaseError(.caseNotFound, ["case": only.description])
        }
        let rows = index.rows
        // Sort the ids, not the rows (a row is a dozen strings to copy).
        return (only.map { [$0] } ?? rows.keys.sorted()).compactMap { rows[$0]?.summary }
    }

    /// An organization's status at `time`, derived from its cases, and the cases.
    public func organization(_ organization: String, at time: Date) throws -> (status: String, cases: [CaseSummary]) {
        guard OrganizationID.isValid(organization) else { throw CaseError(.caseBadOrganization, ["value": organization]) }
        let (snapshot, index, _) = try CaseIndex.indexed(git, at: try headID())
        let cases = try snapshot.organizationCases(organization)
        let summaries = (index.organizations[organization] ?? []).sorted().compactMap { index.rows[$0]?.summary }
        return (OrganizationHistory.status(cases, at: time).rawValue, summaries)
    }


    /// The allowed-signers file for stock git: one line per node key of the policy at `main`.
    public func allowedSigners() throws -> String {
        let settings = try settings()
        return settings.keys.byFingerprint.values
            .filter { $0.identity.roles.contains(where: \.isNode) }
            .sorted { $0.identity.name < $1.identity.name }
            .map { entry in
                // The principal is the committer address a node uses in this repository.
                "\(entry.identity.name)@\(settings.config.jurisdiction).webjcase namespaces=\"git\" \(entry.key.authorizedKeysLine(comment: nil))"
            }
            .joined(separator: "\n") + "\n"
    }
}
