import Foundation
import CaseModel
import CaseYAML
import CaseSigning

/// Checks a policy file: schema version 1, names, keys and threshold.
public enum PolicyFile {
    public static func check(_ bytes: Data, file: String) throws -> (Policy, PolicyKeys) {
        let policy = try StrictYAML.decode(Policy.self, from: bytes, file: file)
        func invalid(_ field: String, _ value: String, _ expected: String) -> CaseError {
            CaseError(.policyInvalid, ["file": file, "field": field, "value": value, "expected": expected])
        }
        func identityProblem(_ name: String, _ problem: MessageID) -> CaseError {
            CaseError(Message(.policyIdentity, ["file": file, "name": name], parts: ["problem": Message(problem)]), status: .badInput)
        }
        guard policy.kind == "policy" else { throw invalid("kind", policy.kind, "`policy`") }
        guard policy.version >= 1 else { throw invalid("version", "\(policy.version)", "1 or more") }
        var names = Set<String>()
        for identity in policy.identities {
            guard !identity.name.isEmpty, identity.name.count <= 64,
                  identity.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                throw identityProblem(identity.name, .policyProblemName)
            }
            guard names.insert(identity.name).inserted else { throw identityProblem(identity.name, .policyProblemDuplicate) }
            guard !identity.roles.isEmpty else { throw identityProblem(identity.name, .policyProblemNoRoles) }
            if let jurisdiction = identity.jurisdiction, !NodeName.isValid(jurisdiction) {
                throw identityProblem(identity.name, .policyProblemJurisdiction)
            }
            if identity.roles.contains(.agencyNode) && identity.jurisdiction == nil {
                throw identityProblem(identity.name, .policyProblemAgencyJurisdiction)
            }
        }
        // Revoked admins never count again, and admins sign protected files with keys: a
        // threshold above the others would lock the policy.
        let active = policy.admins.filter { $0.revoked == nil && $0.key != nil }.count
        guard policy.threshold >= 1, policy.threshold <= active else {
            throw invalid("threshold", "\(policy.threshold)", "between 1 and the number of admins not revoked (\(active))")
        }
        if let issuers = policy.applicants?.xcaIssuers {
            guard !issuers.isEmpty else {
                throw CaseError(.policyApplicantIssuer, ["file": file, "number": "1"])
            }
            for (number, name) in issuers.enumerated() {
                let valid = !name.isEmpty && name.allSatisfy { attribute in
                    OrganizationID.isObjectIdentifier(attribute.oid) && !attribute.value.isEmpty && attribute.value.count <= 256
                }
                guard valid else { throw CaseError(.policyApplicantIssuer, ["file": file, "number": "\(number + 1)"]) }
            }
        }
        var seen: [String: String] = [:]
        for identity in policy.identities {
            switch (identity.key, identity.certificate) {
            case (let line?, nil):
                guard let key = try? SSHPublicKey(authorizedKeysLine: line) else {
                    throw identityProblem(identity.name, .policyProblemKey)
                }
                if seen.updateValue(identity.name, forKey: key.fingerprint) != nil {
                    throw identityProblem(identity.name, .policyProblemKeyReused)
                }
            case (nil, let certificate?):
                let hex = certificate.lowercased().dropFirst(7)
                guard certificate.lowercased().hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy({ "0123456789abcdef".contains($0) }) else {
                    throw identityProblem(identity.name, .policyProblemCertificate)
                }
                guard !identity.roles.contains(where: { $0.isNode || $0 == .hub }) else {
                    throw identityProblem(identity.name, .policyProblemNodeCertificate)
                }
                if seen.updateValue(identity.name, forKey: certificate.lowercased()) != nil {
                    throw identityProblem(identity.name, .policyProblemKeyReused)
                }
            default:
                throw identityProblem(identity.name, .policyProblemKeyOrCertificate)
            }
        }
        return (policy, try PolicyKeys(policy))
    }
}
