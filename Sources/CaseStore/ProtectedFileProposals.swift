import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// Where a proposed protected file stands: which admins of the policy in force signed it.
public struct ProposalStatus: Sendable {
    public let path: String
    public let admins: [String]
    public let threshold: Int
    public let policyVersion: Int
    public let problem: Message?
    /// What the admins should know of the proposed content: for a calendar, the closures
    /// announced for another area, which do not count for deadlines.
    public var notes: [Message] = []

    public var isReady: Bool { problem == nil && admins.count >= threshold }

    public var message: Message {
        problem ?? Message(.trustProposal, ["path": path, "count": "\(admins.count)", "names": admins.isEmpty ? "—" : admins.joined(separator: ", "),
                                            "threshold": "\(threshold)", "version": "\(policyVersion)"])
    }
}

extension CaseRepository {
    /// The directory holding proposed versions of protected files, laid out like the
    /// repository: `from`, or the work tree.
    public func proposalDirectory(_ from: String?) throws -> String {
        if let from { return from }
        guard let work = git.workDirectory else {
            throw CaseError(.optionInvalid, ["option": "--from", "value": "", "expected": "a bare repository needs --from DIR holding the proposed files"])
        }
        return work
    }

    private func proposedBytes(_ path: String, from directory: String) throws -> Data {
        let kind = RepositoryPath(path)
        guard kind.isProtected, kind.signedFile == nil else {
            throw CaseError(.optionInvalid, ["option": "PATH", "value": path,
                                             "expected": "name a protected file: webjcase.yaml, README.md, trust/policy.yaml, trust/roots/*.pem, trust/ca/*.pem, trust/crl/*.crl or calendar/<year>.yaml"])
        }
        return try readInputFile((directory as NSString).appendingPathComponent(path), limit: 1 << 20)
    }

    /// Adds `key`'s signature to the proposal's `.sig` (creating it), over the proposed bytes.
    public func signProposal(_ path: String, from directory: String, key: SigningKey, clock: any CaseClock) throws -> ProposalStatus {
        let bytes = try proposedBytes(path, from: directory)
        let signaturePath = (directory as NSString).appendingPathComponent(path + ".sig")
        let payloadType = protectedPayloadType(path, replacing: try Snapshot(git: git, commit: try headID()).data(path))
        var envelope: SignatureEnvelope
        do {
            if let existing = FileManager.default.contents(atPath: signaturePath),
               let decoded = try? SignatureEnvelope(decoding: existing), decoded.payloadSHA256 == Digest.sha256Hex(bytes),
               decoded.payloadType == payloadType {
                envelope = decoded
                try envelope.addSignature(document: bytes, key: key)
            } else {
                envelope = try SignatureEnvelope.sign(document: bytes, payloadType: payloadType, key: key)
            }
        } catch let error as SigningError {
            throw CaseError(error.message(file: path), status: .ruleBroken)
        }
        do {
            try envelope.encoded().write(to: URL(fileURLWithPath: signaturePath), options: .atomic)
        } catch {
            throw CaseError(.fileWriteFailed, ["file": signaturePath, "reason": error.localizedDescription])
        }
        return try verifyProposal(path, from: directory, clock: clock)
    }

    /// Which admins of the policy in force have signed the proposed `path`.
    public func verifyProposal(_ path: String, from directory: String, clock: any CaseClock) throws -> ProposalStatus {
        let bytes = try proposedBytes(path, from: directory)
        let settings = try settings()
        let envelope = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(path + ".sig"))
        let file = CommitValidator.adminSignatures(path: path, bytes: bytes, previous: try Snapshot(git: git, commit: try headID()).data(path),
                                                   envelope: envelope, keys: settings.keys)
        var status = ProposalStatus(path: path, admins: AdministrativeRules.countingAdmins(file.signers, keys: settings.keys, at: clock.now()),
                                    threshold: settings.policy.threshold, policyVersion: settings.policy.version, problem: file.problem)
        if case .calendar = RepositoryPath(path), let calendar = try? StrictYAML.decode(CalendarFile.self, from: bytes, file: path) {
            status.notes = Self.ignoredClosures(calendar, path: path)
        }
        return status
    }

    /// Says which closures of `calendar` do not count for deadlines (another area's).
    public static func ignoredClosures(_ calendar: CalendarFile, path: String) -> [Message] {
        calendar.closures.filter { !$0.countsForDeadlines }.map { closure in
            Message(.calendarClosureIgnored, ["file": path, "date": closure.date.description, "area": closure.area,
                                              "city": CalendarFile.Closure.city])
        }
    }

    /// Commits the proposed protected files with their signatures as one node-signed
    /// commit, after the same validation the hub runs.
    public func commitProposal(_ paths: [String], from directory: String, clock: any CaseClock, lock: WriteLock.Held) throws -> String {
        requireHeld(lock)
        let parent = try headID()
        let snapshot = try Snapshot(git: git, commit: parent)
        var files: [(path: String, data: Data)] = []
        for path in paths {
            let bytes = try proposedBytes(path, from: directory)
            let signaturePath = (directory as NSString).appendingPathComponent(path + ".sig")
            if RepositoryPath(path).isCRL {
                // Revocation lists are signed by their CA and need no admin (nor take a .sig).
                guard try snapshot.data(path) != bytes else { throw CaseError(.trustNothing, ["path": path]) }
                files.append((path, bytes))
                continue
            }
            let signature = try readInputFile(signaturePath, limit: 1 << 20)
            if try snapshot.data(path) == bytes, try snapshot.data(path + ".sig") == signature {
                throw CaseError(.trustNothing, ["path": path])
            }
            files += [(path, bytes), (path + ".sig", signature)]
        }
        let message = NodeCommitWriter.message("Change \(paths.joined(separator: ", "))", trailers: paths.map { ("Change", $0) })
        return try commit(files: files, parent: parent, message: message, clock: clock).id.hex
    }
}
