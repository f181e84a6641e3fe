import Foundation
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// The media type of documents signed with `webjcase sign` (forms, letters, attestations).
public let documentPayloadType = "application/vnd.webjcase.document+yaml"

extension CaseRepository {
    /// Checks a certificate-signed document against this repository's roots and CRLs, at
    /// the signing time the document states (`signedAt:`, or `at:`), and — for an
    /// applicant document, one that names its `organization:` — that every signer holds
    /// an XCA certificate for that organization. Returns the verified signatures.
    public func verifyCertifiedDocument(_ document: Data, envelope: SignatureEnvelope, file: String) throws -> [VerifiedSignature] {
        let fields = try StrictYAML.topLevelScalars(document, file: file)
        guard let text = fields["signedAt"] ?? fields["at"] else {
            throw CaseError(.documentNoSigningTime, ["file": file], status: .ruleBroken)
        }
        guard let signedAt = Timestamp(text) else {
            throw CaseError(.yamlBadTimestamp, ["file": file, "line": "1", "field": "signedAt", "value": text])
        }
        let snapshot = try Snapshot(git: git, commit: try headID())
        let trust = try snapshot.certificateTrust(try snapshot.settings().policy)
        let organization = fields["organization"]
        if let organization, !OrganizationID.isValid(organization) {
            throw CaseError(.caseBadOrganization, ["value": organization])
        }
        return try Self.verifyCertificates(document, envelope: envelope, signedAt: signedAt.date, organization: organization,
                                           trust: trust, file: file)
    }

    /// Every chain of `envelope` verifies at `signedAt` against `trust`, none revoked
    /// after signing; with an `organization`, every signer holds an XCA certificate of it.
    static func verifyCertificates(_ document: Data, envelope: SignatureEnvelope, signedAt date: Date, organization: String?,
                                   trust: CertificateTrust, file: String) throws -> [VerifiedSignature] {
        do {
            let verdicts: [CertificateVerdict] = try runBlocking {
                try await envelope.verify(document: document, payloadType: documentPayloadType, signedAt: date, trust: trust)
            }
            // Every signer counts, and for an applicant document every signer holds an XCA
            // certificate of that organization.
            return try verdicts.map { verdict in
                let signature = try verdict.requireVerified()
                if let organization { try verdict.certificate.checkApplicant(organization: organization) }
                return signature
            }
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
    }

    /// Reads an applicant document of a step commit: its form under the schema its `kind`
    /// names, and its envelope verified by certificates at its own `signedAt`, judged
    /// against the roots and CRLs of `trustAt` (the parent commit).
    static func readApplicantDocument(_ path: String, in snapshot: Snapshot, trustAt before: Snapshot,
                                      policy: Policy) throws -> DocumentEvidence {
        let bytes = try snapshot.data(path) ?? Data()
        let sha256 = Digest.sha256Hex(bytes)
        func problem(_ message: Message) -> DocumentEvidence {
            DocumentEvidence(path: path, sha256: sha256, form: nil, problem: message)
        }
        let form: ApplicantForm
        do {
            let kind = try StrictYAML.topLevelScalars(bytes, file: path)["kind"] ?? ""
            guard let type = ApplicantForm.type(for: kind) else {
                return problem(Message(.ruleDocumentKind, ["path": path, "kind": kind]))
            }
            form = ApplicantForm(try StrictYAML.decode(type, from: bytes, file: path))!
        } catch let error as CaseError {
            return problem(error.message)
        }
        let envelopeBytes = try snapshot.data(path + ".sig")
        let cmsBytes = try snapshot.data(path + ".p7s")
        guard envelopeBytes != nil || cmsBytes != nil else {
            return problem(Message(.ruleDocumentUnsigned, ["path": path, "signature": path + ".sig / " + path + ".p7s"]))
        }
        var signingTime: Date?
        do {
            let trust = try before.certificateTrust(policy)
            if let envelopeBytes {
                let envelope = try SignatureEnvelope(decoding: envelopeBytes)
                guard !envelope.signatures.isEmpty, envelope.signatures.allSatisfy({ $0.chain != nil }) else {
                    return problem(Message(.ruleDocumentNoCertificate, ["path": path]))
                }
                _ = try verifyCertificates(bytes, envelope: envelope, signedAt: form.document.signedAt.date,
                                           organization: form.document.organization, trust: trust, file: path)
            }
            if let cmsBytes {
                let file = path + ".p7s"
                let cms: CMSSignature
                do {
                    cms = try CMSSignature(der: cmsBytes)
                } catch {
                    return problem(error.message(file: file))
                }
                _ = try verifyCMS(bytes, cms: cms, signedAt: form.document.signedAt.date,
                                  organization: form.document.organization, trust: trust, file: file)
                signingTime = cms.signingTime
            }
        } catch let error as SigningError {
            return problem(error.message(file: path))
        } catch let error as CaseError {
            return problem(error.message)
        }
        var evidence = DocumentEvidence(path: path, sha256: sha256, form: form, problem: nil)
        evidence.cmsSigningTime = signingTime
        return evidence
    }

    /// A detached CMS signature of `document` verifies at `signedAt` against `trust`, not
    /// revoked after signing; with an `organization`, by an XCA certificate of it.
    static func verifyCMS(_ document: Data, cms: CMSSignature, signedAt date: Date, organization: String?,
                          trust: CertificateTrust, file: String) throws -> VerifiedSignature {
        do {
            let verdict: CertificateVerdict = try runBlocking {
                try await cms.verify(document: document, signedAt: date, trust: trust)
            }
            let signature = try verdict.requireVerified()
            if let organization { try verdict.certificate.checkApplicant(organization: organization) }
            return signature
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
    }

    /// `webjcase sign --verify` of a document with `<file>.p7s`: as ``verifyCertifiedDocument(_:envelope:file:)``,
    /// for a detached CMS signature. Returns the signature and the CMS's own signingTime, if any.
    public func verifyCMSDocument(_ document: Data, cms bytes: Data, file: String) throws -> (VerifiedSignature, signingTime: Date?) {
        let fields = try StrictYAML.topLevelScalars(document, file: file)
        guard let text = fields["signedAt"] ?? fields["at"] else {
            throw CaseError(.documentNoSigningTime, ["file": file], status: .ruleBroken)
        }
        guard let signedAt = Timestamp(text) else {
            throw CaseError(.yamlBadTimestamp, ["file": file, "line": "1", "field": "signedAt", "value": text])
        }
        let organization = fields["organization"]
        if let organization, !OrganizationID.isValid(organization) {
            throw CaseError(.caseBadOrganization, ["value": organization])
        }
        let snapshot = try Snapshot(git: git, commit: try headID())
        let trust = try snapshot.certificateTrust(try snapshot.settings().policy)
        let cms: CMSSignature
        do {
            cms = try CMSSignature(der: bytes)
        } catch {
            throw CaseError(error.message(file: file + ".p7s"), status: .ruleBroken)
        }
        let signature = try Self.verifyCMS(document, cms: cms, signedAt: signedAt.date, organization: organization, trust: trust, file: file)
        return (signature, cms.signingTime)
    }
}

extension StrictYAML {
    /// The plain text of the top-level scalar fields of a document (read strictly: no
    /// anchors, tags or duplicate keys), for documents whose full schema is not needed.
    public static func topLevelScalars(_ data: Data, file: String) throws -> [String: String] {
        let root: YAMLNode
        do {
            root = try StrictYAMLReader.read(data)
        } catch let failure as StrictYAMLReader.Failure {
            throw CaseError(failure.id, failure.arguments.merging(["file": file]) { a, _ in a })
        }
        guard case .mapping(let pairs, _) = root else { return [:] }
        var fields: [String: String] = [:]
        for pair in pairs {
            // YAML's null (`~`, `null`, nothing) is an absent field, not the text "~".
            if case .scalar(let text, let plain, _) = pair.value, !(plain && ["", "~", "null", "Null", "NULL"].contains(text)) {
                fields[pair.key] = text
            }
        }
        return fields
    }
}
