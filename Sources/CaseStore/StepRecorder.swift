import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// What `case open` and `step` committed.
public struct RecordedStep: Sendable {
    public let caseID: CaseID
    public let sequence: Int
    public let action: Action
    public let commit: String
    public let path: String
    /// What the validator recorded about the step without refusing it (DESIGN §6).
    public let findings: [Finding]
}

extension CaseRepository {
    /// Opens a case: `case.yaml` and its signed `open` step in one commit.
    public func openCase(kind: CaseKind, organization: String, xcaOID: String? = nil, data: StepData.Open, key: StepSigner,
                         clock: any CaseClock, lock: WriteLock.Held) throws -> RecordedStep {
        requireHeld(lock)
        guard OrganizationID.isValid(organization) else {
            throw CaseError(.caseBadOrganization, ["value": organization])
        }
        if let xcaOID, !OrganizationID.isObjectIdentifier(xcaOID) || xcaOID == organization {
            throw CaseError(.caseBadXCAOID, ["value": xcaOID, "organization": organization])
        }
        let node = try nodeConfig()
        let parent = try headID()
        let settings = try Snapshot(git: git, commit: parent).settings()
        let now = clock.now()
        let year = Taipei.year(of: now)
        let prefix = "\(kind.rawValue)-\(year)-\(node.name)-"
        let snapshot = try Snapshot(git: git, commit: parent)
        let highest = try snapshot.names("cases/\(year)/\(node.name)")
            .filter { $0.name.hasPrefix(prefix) }
            .compactMap { CaseID($0.name)?.number }
            .max() ?? 0
        let id = CaseID(kind: kind, year: year, node: node.name, number: highest + 1)
        let caseBytes = try DocumentWriter.yaml(CaseFile(id: id, organization: organization,
                                                         jurisdiction: settings.config.jurisdiction, node: node.name, xcaOID: xcaOID))
        let step = StepDocument(case: id, sequence: 1, action: .open, at: Timestamp(now),
                                actor: key.signer.publicKey.fingerprint, previous: Digest.prefixed(caseBytes), data: .open(data))
        return try record(step, extraFiles: [(id.directory + "/case.yaml", caseBytes)], attachments: [],
                          key: key, parent: parent, settings: settings, clock: clock)
    }

    /// Records one step of an existing case, signed by `key`, with `attachments` (file
    /// paths) and applicant `documents` (file paths; each with its `.sig`, and the personal
    /// values behind its commitments in `<file>.personal.yaml` when it has any).
    public func recordStep(caseID: CaseID, action: Action, data: StepData, attachments: [String], documents: [String] = [],
                           key: StepSigner, clock: any CaseClock, lock: WriteLock.Held) throws -> RecordedStep {
        requireHeld(lock)
        let parent = try headID()
        let snapshot = try Snapshot(git: git, commit: parent)
        let settings = try snapshot.settings()
        guard let state = try snapshot.caseState(caseID) else {
            throw CaseError(.caseNotFound, ["case": caseID.description])
        }
        let existing = Set(state.paths.compactMap { path -> String? in
            guard case .attachment(_, let name) = RepositoryPath(path) else { return nil }
            return name.lowercased()
        })
        let files = try readAttachments(attachments, limits: settings.config.attachments, existing: existing)
        let received = try readDocuments(documents, existing: state.paths, caseID: caseID)
        try keepDisclosures(received.flatMap(\.disclosures), case: caseID, clock: clock)
        let data = try committingPersonalValues(data, case: caseID, clock: clock)
        let references = files.map { AttachmentReference(name: $0.name, sha256: Digest.sha256Hex($0.data), size: $0.data.count) }
        let digests = Dictionary(uniqueKeysWithValues: files.map { ("attachments/\($0.name)", Digest.sha256Hex($0.data)) }
                                 + received.map { ("documents/\($0.name)", Digest.sha256Hex($0.data)) })
        let step = StepDocument(case: caseID, sequence: (state.lastStep?.sequence ?? 0) + 1, action: action,
                                at: Timestamp(clock.now()), actor: key.signer.publicKey.fingerprint,
                                previous: state.lastDigest, data: Self.digestsFilled(data, digests), attachments: references)
        let extra = files.map { ("\(caseID.directory)/attachments/\($0.name)", $0.data) }
            + received.flatMap { [("\(caseID.directory)/documents/\($0.name)", $0.data), ("\(caseID.directory)/documents/\($0.name)\($0.signatureSuffix)", $0.signature)] }
        return try record(step, extraFiles: extra, attachments: references, key: key, parent: parent,
                          settings: settings, clock: clock)
    }

    /// A clerk names a received document by its file; the digest that binds it to the case
    /// comes from the file attached with the step.
    static func digestsFilled(_ data: StepData, _ digests: [String: String]) -> StepData {
        func filled(_ submit: StepData.Submit) -> StepData.Submit {
            var submit = submit
            submit.documents = submit.documents?.map { document in
                var document = document
                if document.sha256 == nil { document.sha256 = digests[document.file] }
                return document
            }
            return submit
        }
        switch data {
        case .submit(let submit): return .submit(filled(submit))
        case .correct(let submit): return .correct(filled(submit))
        case .report(var report):
            report.documents = report.documents?.map { document in
                var document = document
                if document.sha256 == nil { document.sha256 = digests[document.file] }
                return document
            }
            return .report(report)
        default: return data
        }
    }

    private func record(_ step: StepDocument, extraFiles: [(String, Data)], attachments: [AttachmentReference],
                        key: StepSigner, parent: ObjectID, settings: RepositorySettings,
                        clock: any CaseClock) throws -> RecordedStep {
        let (path, bytes, envelope) = try StepComposer.files(step, key: key)
        let message = StepComposer.message(step, actorName: key.identity(in: settings.keys)?.name ?? "unknown",
                                           fingerprint: key.signer.publicKey.fingerprint)
        let (id, findings) = try commit(files: extraFiles + [(path, bytes), (path + ".sig", envelope)],
                                        parent: parent, message: message, clock: clock)
        return RecordedStep(caseID: step.case, sequence: step.sequence, action: step.action, commit: id.hex, path: path,
                            findings: findings)
    }

    /// An applicant document to bring into a case: its bytes, its envelope, and the
    /// personal values behind its commitments.
    struct IncomingDocument {
        let name: String
        let data: Data
        let signature: Data
        /// `.sig` (an envelope) or `.p7s` (a detached CMS signature).
        let signatureSuffix: String
        let disclosures: [PersonalDisclosure]
    }

    /// Reads applicant documents with their `.sig` or `.p7s` (one required) and `.personal.yaml` (when
    /// present, each disclosure must open a commitment of the document).
    private func readDocuments(_ paths: [String], existing: Set<String>, caseID: CaseID) throws -> [IncomingDocument] {
        var documents: [IncomingDocument] = []
        for path in paths {
            let name = (path as NSString).lastPathComponent
            guard RepositoryPath.isValidFileName(name), name.hasSuffix(".yaml") else { throw CaseError(.attachmentName, ["file": path]) }
            guard !existing.contains("\(caseID.directory)/documents/\(name)"), !documents.contains(where: { $0.name == name }) else {
                throw CaseError(.attachmentExists, ["file": path, "name": name])
            }
            let data = try readInputFile(path)
            // The envelope `<path>.sig`, or else a detached CMS signature `<path>.p7s`.
            guard let suffix = [".sig", ".p7s"].first(where: { FileManager.default.fileExists(atPath: path + $0) }) else {
                throw CaseError(.ruleDocumentUnsigned, ["path": path, "signature": path + ".sig / " + path + ".p7s"])
            }
            let signature = try readInputFile(path + suffix)
            var disclosures: [PersonalDisclosure] = []
            let personalPath = String(path.dropLast(5)) + ".personal.yaml"
            if FileManager.default.fileExists(atPath: personalPath) {
                disclosures = try StrictYAML.decode(PersonalDisclosures.self, from: try readInputFile(personalPath), file: personalPath).values
                let committed = try PersonalDisclosures.commitments(in: data, file: path)
                for disclosure in disclosures where !disclosure.opens || !committed.contains(disclosure.commitment) {
                    throw CaseError(.personalDisclosureMismatch, ["file": personalPath, "commitment": disclosure.commitment, "document": path])
                }
            }
            documents.append(IncomingDocument(name: name, data: data, signature: signature, signatureSuffix: suffix, disclosures: disclosures))
        }
        return documents
    }

    /// Reads attachments, checking name, type (by content) and size before anything is written.
    private func readAttachments(_ paths: [String], limits: RepositoryConfig.AttachmentLimits,
                                 existing: Set<String>) throws -> [(name: String, data: Data)] {
        var files: [(name: String, data: Data)] = []
        var total = 0
        for path in paths {
            let name = (path as NSString).lastPathComponent
            guard RepositoryPath.isValidFileName(name) else { throw CaseError(.attachmentName, ["file": path]) }
            guard !existing.contains(name.lowercased()) else { throw CaseError(.attachmentExists, ["file": path, "name": name]) }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            guard let size else {
                throw CaseError(.attachmentUnreadable, ["file": path, "reason": "no such file"])
            }
            guard size <= limits.maxFileBytes else {
                throw CaseError(.attachmentTooLarge, ["file": path, "size": "\(size)", "limit": "\(limits.maxFileBytes)"])
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CaseError(.attachmentUnreadable, ["file": path, "reason": "permission denied"])
            }
            guard let type = AttachmentType.detect(data), limits.types.contains(type) else {
                throw CaseError(.attachmentType, ["file": path, "allowed": limits.types.joined(separator: ", ")])
            }
            guard !files.contains(where: { $0.name == name }) else { throw CaseError(.fileExists, ["file": name]) }
            total += data.count
            guard total <= limits.maxCommitBytes else {
                throw CaseError(.attachmentCommitTooLarge, ["size": "\(total)", "limit": "\(limits.maxCommitBytes)"])
            }
            files.append((name, data))
        }
        return files
    }
}

/// File types recognised by their first bytes, never by name.
public enum AttachmentType {
    public static func detect(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return "pdf" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpeg" }
        return nil
    }
}

/// Who signs a step: a key made by the tool, or a certificate's key with its chain.
public struct StepSigner: Sendable {
    public let signer: DocumentSigner
    public let chain: CertificateChain?

    public init(_ key: SigningKey) {
        signer = .ed25519(key)
        chain = nil
    }

    public init(signer: DocumentSigner, chain: CertificateChain?) {
        self.signer = signer
        self.chain = chain
    }

    /// Reads a private key (OpenSSH Ed25519, or PEM P-256/RSA) and, for a certificate
    /// key, its chain (leaf first, PEM).
    public static func load(key path: String, chain chainPath: String?) throws -> StepSigner {
        let text = (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if text.contains("BEGIN OPENSSH PRIVATE KEY") || !FileManager.default.fileExists(atPath: path) {
            guard chainPath == nil else {
                throw CaseError(.optionInvalid, ["option": "--cert", "value": chainPath ?? "", "expected": "a certificate goes with a PEM key of that certificate, not an OpenSSH key"])
            }
            return StepSigner(try loadKey(path))
        }
        let key: CertificateKey
        do {
            key = try CertificateKey.load(path: path)
        } catch let error as SigningError {
            throw CaseError(error.message(file: path), status: .badInput)
        }
        guard let chainPath else {
            throw CaseError(.optionInvalid, ["option": "--cert", "value": "", "expected": "a PEM key signs with its certificate chain: give --cert CHAIN.pem"])
        }
        let chain: CertificateChain
        do {
            chain = try CertificateChain(pem: String(decoding: try readInputFile(chainPath), as: UTF8.self))
        } catch let error as SigningError {
            throw CaseError(error.message(file: chainPath), status: .badInput)
        }
        guard chain.leafPublicKey == key.publicKey else {
            throw CaseError(.policyNodeKeyMismatch, ["fingerprint": key.publicKey.fingerprint, "node": chainPath,
                                                     "expected": chain.leafPublicKey.fingerprint])
        }
        return StepSigner(signer: .certificateKey(key), chain: chain)
    }

    /// `sha256:<hex>` of the leaf certificate's DER, when signing with a certificate.
    public var certificateFingerprint: String? {
        chain.flatMap { Data(base64Encoded: $0.base64DER[0]) }.map(Digest.prefixed)
    }

    /// The policy identity this signer is.
    public func identity(in keys: PolicyKeys) -> Policy.Identity? {
        if let fingerprint = certificateFingerprint { return keys.byCertificate[fingerprint] }
        return keys.identity(for: signer.publicKey.fingerprint)
    }
}
