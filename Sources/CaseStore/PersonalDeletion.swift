import Foundation
package import GitKit
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
    package var request: String
    package var deletedAt: Timestamp

    package init(commitment: String, request: String, deletedAt: Timestamp) {
        self.commitment = commitment
        self.request = request
        self.deletedAt = deletedAt
    }
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
    package static func tombstonePath(_ commitment: String) -> String {
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


    /// Drops every object no ref reaches (git's own gc): what was deleted is gone from disk.
    package static func prune(_ gitDirectory: String) throws {
        for arguments in [["reflog", "expire", "--expire=now", "--all"], ["gc", "--prune=now", "--quiet"]] {
            try runGit(arguments, gitDirectory: gitDirectory)
        }
    }
}
