import Foundation
import SwiftASN1
import X509

// swift-certificates deliberately does not police key usage and has no CRL support: these policies do, for document
// signatures. Each failure reason starts with "webjcase.<SigningError.Code>:" so the verdict keeps its code.

/// Checks of one candidate chain (leaf first, root last), shared by the policies and by the diagnosis of a failed chain.
enum ChainChecks {
    static func tagged(_ code: SigningError.Code, _ detail: String) -> PolicyEvaluationResult {
        .failsToMeetPolicy(reason: "webjcase.\(code.rawValue): \(detail)")
    }

    /// The code a tagged reason carries.
    static func code(of reason: PolicyFailureReason) -> SigningError.Code? {
        let text = reason.description
        guard text.hasPrefix("webjcase."), let colon = text.firstIndex(of: ":") else { return nil }
        return SigningError.Code(rawValue: String(text[text.index(text.startIndex, offsetBy: 9)..<colon]))
    }

    /// Every certificate valid at `time` (inclusive bounds, as RFC 5280 §4.1.2.5).
    static func validity(_ chain: [Certificate], at time: Date) -> (SigningError.Code, String)? {
        for certificate in chain {
            if time < certificate.notValidBefore {
                return (.notYetValid, "\(certificate.subject) is valid from \(certificate.notValidBefore)")
            }
            if time > certificate.notValidAfter {
                return (.expiredAtSigningTime, "\(certificate.subject) expired at \(certificate.notValidAfter)")
            }
        }
        return nil
    }

    /// The leaf has keyUsage with digitalSignature; every issuer that states a key usage has keyCertSign.
    static func keyUsage(_ chain: [Certificate]) -> (SigningError.Code, String)? {
        guard let leaf = chain.first else { return (.chainInvalid, "empty chain") }
        do {
            guard let usage = try leaf.extensions.keyUsage else {
                return (.wrongKeyUsage, "the signing certificate states no key usage")
            }
            guard usage.digitalSignature else {
                return (.wrongKeyUsage, "the signing certificate lacks digitalSignature (\(usage))")
            }
            for issuer in chain.dropFirst() {
                if let usage = try issuer.extensions.keyUsage, !usage.keyCertSign {
                    return (.wrongKeyUsage, "\(issuer.subject) lacks keyCertSign")
                }
            }
        } catch {
            return (.malformedCertificate, "unreadable key usage")
        }
        return nil
    }

    /// The leaf is not a CA; every issuer is a CA (basic constraints cA TRUE) within its path length.
    static func basicConstraints(_ chain: [Certificate]) -> (SigningError.Code, String)? {
        guard let leaf = chain.first else { return (.chainInvalid, "empty chain") }
        do {
            if case .isCertificateAuthority = try leaf.extensions.basicConstraints {
                return (.wrongKeyUsage, "the signing certificate is a CA certificate")
            }
            for (index, issuer) in chain.enumerated().dropFirst() {
                switch try issuer.extensions.basicConstraints {
                case .isCertificateAuthority(let maxPathLength):
                    // Intermediate CAs between this issuer and the leaf: index - 1.
                    if let maxPathLength, maxPathLength < index - 1 {
                        return (.notCA, "\(issuer.subject) allows a path of \(maxPathLength), chain needs \(index - 1)")
                    }
                case .notCertificateAuthority, .none:
                    return (.notCA, "\(issuer.subject) is not a CA")
                }
            }
        } catch {
            return (.malformedCertificate, "unreadable basic constraints")
        }
        return nil
    }

    /// No certificate revoked at or before `time` by a CRL its issuer signed.
    static func revocation(_ chain: [Certificate], at time: Date, index: RevocationIndex) -> (SigningError.Code, String)? {
        for position in chain.indices.dropLast() {
            if let date = index.revocationDate(of: chain[position], issuer: chain[position + 1]), date <= time {
                return (.revoked, "\(chain[position].subject) was revoked at \(date)")
            }
        }
        return nil
    }
}

/// Key usage: the leaf may sign documents (digitalSignature); issuers that state a key usage may sign certificates.
struct DocumentKeyUsagePolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.keyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        if let (code, detail) = ChainChecks.keyUsage(Array(chain)) { return ChainChecks.tagged(code, detail) }
        return .meetsPolicy
    }
}

/// Basic constraints: every issuer is a CA within its path length, and the signer is not a CA.
struct DocumentBasicConstraintsPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.basicConstraints]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        if let (code, detail) = ChainChecks.basicConstraints(Array(chain)) { return ChainChecks.tagged(code, detail) }
        return .meetsPolicy
    }
}

/// CRLs of `trust/crl/`: a certificate revoked at T cannot sign at or after T. A revocation after the signing time passes
/// here; the verdict then says `.revokedAfterSigning`, which needs a receipt to count.
struct CRLRevocationPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []
    let signingTime: Date
    let index: RevocationIndex

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        if let (code, detail) = ChainChecks.revocation(Array(chain), at: signingTime, index: index) {
            return ChainChecks.tagged(code, detail)
        }
        return .meetsPolicy
    }
}
