import Foundation
import CaseModel
import CaseSigning

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
        let date = signedAt.date
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
