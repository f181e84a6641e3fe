import Foundation
import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// A request to delete an organization's personal values (Personal Data Protection Act),
/// co-signed by the admin threshold of the policy (`webjcase sign FILE --key ADMIN`).
public struct PersonalDeletionRequest: Sendable, Codable, Equatable {
    public var kind = "personal-deletion"
    public var format = formatVersion
    public var jurisdiction: String
    public var organization: String
    public var reason: String
    public var requestedAt: Timestamp
    /// The commitments whose values go.
    public var commitments: [String]
}

/// What stays where a value was: the commitment, and the request that removed it.
package struct PersonalTombstone: Sendable, Codable, Equatable {
    var kind = "personal-deleted"
    package var commitment: String
    /// `sha256:<hex>` of the deletion request's bytes.
    var request: String
    var deletedAt: Timestamp
}

/// Stock git, for what only git's own programs do: `http-backend`, `gc`, `repack`.
public let gitProgram: String = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/git"

/// Runs stock git on the repository at `gitDirectory` to its end; a failure throws
/// `repo.git` with the command and what git said.
package func runGit(_ arguments: [String], gitDirectory: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: gitProgram)
    process.arguments = ["--git-dir", gitDirectory] + arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    let command = "git " + arguments.joined(separator: " ")
    do {
        try process.run()
    } catch {
        throw CaseError(.repoGit, ["detail": "\(command): \(gitProgram) could not be started (\(error.localizedDescription))"])
    }
    let said = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let detail = String(decoding: said.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        throw CaseError(.repoGit, ["detail": "\(command) failed in \(gitDirectory) (exit \(process.terminationStatus)) \(detail)"])
    }
}

extension PersonalStore {
    static func tombstonePath(_ commitment: String) -> String {
        let hex = commitment.dropFirst(7)
        return "deleted/\(hex.prefix(2))/\(hex).yaml"
    }
}

extension CaseRepository {
    /// Every commitment the organization's cases hold (steps and applicant documents).
    public func organizationCommitments(_ organization: String) throws -> [String] {
        let snapshot = try Snapshot(git: git, commit: try headID())
        var commitments: [String] = []
        for found in try snapshot.organizationCases(organization) {
            for step in found.steps {
                for case .commitment(let commitment) in step.data.personalFields { commitments.append(commitment) }
            }
            for entry in try snapshot.names(found.id.directory + "/documents") where entry.name.hasSuffix(".yaml") {
                let path = "\(found.id.directory)/documents/\(entry.name)"
                if let bytes = try snapshot.data(path) { commitments += try PersonalDisclosures.commitments(in: bytes, file: path) }
            }
        }
        return Array(Set(commitments)).sorted()
    }

    /// A deletion request for the organization's values, to be co-signed by the admins.
    public func personalDeletionRequest(_ organization: String, reason: String, clock: any CaseClock) throws -> Data {
        guard OrganizationID.isValid(organization) else { throw CaseError(.caseBadOrganization, ["value": organization]) }
        let request = PersonalDeletionRequest(jurisdiction: try settings().config.jurisdiction, organization: organization,
                                              reason: reason, requestedAt: Timestamp(clock.now()),
                                              commitments: try organizationCommitments(organization))
        return try DocumentWriter.yaml(request)
    }

    /// On the hub: carries out a deletion request signed by the admin threshold of the
    /// policy at `main`. The jurisdiction's personal store gets a new history without the
    /// values (a tombstone names each deleted commitment and the request); the old objects
    /// are pruned. Returns how many values went.
    public func carryOutPersonalDeletion(request bytes: Data, envelope envelopeBytes: Data, file: String,
                                         clock: any CaseClock) throws -> Int {
        let request = try StrictYAML.decode(PersonalDeletionRequest.self, from: bytes, file: file)
        let settings = try settings()
        guard request.kind == "personal-deletion", request.jurisdiction == settings.config.jurisdiction else {
            throw CaseError(.personalDeletionWrongJurisdiction, ["file": file, "found": request.jurisdiction,
                                                                  "expected": settings.config.jurisdiction], status: .ruleBroken)
        }
        let signers: [VerifiedSignature]
        do {
            signers = try SignatureEnvelope(decoding: envelopeBytes).verify(document: bytes, payloadType: documentPayloadType,
                                                                             keys: settings.keys.keys)
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
        let admins = Set(signers.compactMap { settings.keys.identity(for: $0) }
            .filter { $0.roles.contains(.admin) && $0.revoked == nil }.map(\.name))
        guard admins.count >= settings.policy.threshold else {
            throw CaseError(.personalDeletionThreshold, ["file": file, "count": "\(admins.count)",
                                                          "threshold": "\(settings.policy.threshold)"], status: .ruleBroken)
        }
        let storePath = HubLayout(containing: git.gitDirectory).personalStore(settings.config.jurisdiction)
        guard FileManager.default.fileExists(atPath: storePath), let store = try? Repository(path: storePath) else {
            throw CaseError(.repoNotFound, ["path": storePath])
        }
        let head = try store.reference(PersonalStore.ref)
        var changes: [TreeChange] = []
        var deleted = 0
        let digest = Digest.prefixed(bytes)
        let current = try head.map { try Self.entries(store, commit: $0) } ?? [:]
        for commitment in request.commitments where PersonalField.isCommitment(commitment) {
            let path = PersonalStore.entryPath(commitment)
            if current[path] != nil {
                changes.append(.remove(path: path))
                deleted += 1
            }
            let tombstone = PersonalTombstone(commitment: commitment, request: digest, deletedAt: Timestamp(clock.now()))
            changes.append(.set(path: PersonalStore.tombstonePath(commitment), id: try store.writeBlob(try DocumentWriter.yaml(tombstone)), mode: .blob))
        }
        let tree = try store.buildTree(base: try head.map { try store.commit($0).tree }, changes: changes)
        let key = try loadKey(try git.config("webjcase.hubKey") ?? nodeConfig().keyPath)
        let who = Signature(name: "hub", email: "hub@\(settings.config.jurisdiction).webjcase", time: clock.now(),
                            timeZoneOffsetMinutes: Taipei.offsetSeconds / 60)
        // A new history: no commit may still reach the deleted values.
        let commit = try store.createCommit(tree: tree, parent: nil, author: who, committer: who,
                                            message: "personal: \(deleted) value(s) of \(request.organization) deleted\n\nRequest: \(digest)\n") { buffer in
            try SSHSignature.sign(buffer, namespace: "git", key: key)
        }
        try store.updateReference(PersonalStore.ref, to: commit, expected: head, message: "webjcase: personal deletion")
        try Self.prune(storePath)
        return deleted
    }

    /// Drops every object no ref reaches (git's own gc): what was deleted is gone from disk.
    package static func prune(_ gitDirectory: String) throws {
        for arguments in [["reflog", "expire", "--expire=now", "--all"], ["gc", "--prune=now", "--quiet"]] {
            try runGit(arguments, gitDirectory: gitDirectory)
        }
    }
}
