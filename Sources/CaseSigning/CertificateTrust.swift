import CaseModel
import Crypto
import Foundation
import SwiftASN1
// The one file that validates chains at a past time (the document's signing time).
@_spi(FixedExpiryValidationTime) import X509

/// The X.509 trust of a repository: the anchors of `trust/roots/*.pem` and the CRLs of `trust/crl/*.crl`.
public struct CertificateTrust: Sendable {
    let roots: [Certificate]
    let store: CertificateStore
    let revocations: RevocationIndex
    let fingerprints: [Certificate: String]
    /// Whether the repository holds real cases (`mode: production`): test roots are refused.
    public let production: Bool
    /// Where applicant certificates carry the organization id, and who issues them.
    public let identity: ApplicantIdentityPolicy
    /// The chains this trust has validated (shared by its copies): each is validated once
    /// per window of signing times, not once per document.
    let validatedChains = ValidatedChains()

    /// Parses the roots (PEM, one or more certificates each) and CRLs (DER or PEM). In production a test root made by
    /// ``TestPKI`` is refused (.testRootInProduction), loudly, naming it.
    public init(rootsPEM: [String], crls: [Data] = [], production: Bool, identity: ApplicantIdentityPolicy = .xca) throws {
        var roots: [Certificate] = []
        for pem in rootsPEM {
            let chain: [PEMDocument]
            do {
                chain = try PEMDocument.parseMultiple(pemString: pem)
                for document in chain where document.discriminator == "CERTIFICATE" {
                    roots.append(try Certificate(derEncoded: document.derBytes))
                }
            } catch {
                throw SigningError(.malformedCertificate, detail: "a trust root does not parse")
            }
        }
        if production, let test = roots.first(where: TestPKI.isTestRoot) {
            throw SigningError(.testRootInProduction, detail: "TEST ROOT \(test.subject) must not be trusted in production")
        }
        self.roots = roots
        self.fingerprints = Dictionary(roots.map { ($0, (try? Digest.prefixed(Data($0.derBytes))) ?? "") }, uniquingKeysWith: { a, _ in a })
        self.store = CertificateStore(roots)
        self.revocations = RevocationIndex(lists: try crls.map { try CertificateRevocationList(data: $0) })
        self.production = production
        self.identity = identity
    }

    /// Reads `<trust>/roots/*.pem` and `<trust>/crl/*.crl` (either directory may be missing).
    public static func load(trustDirectory: URL, production: Bool, identity: ApplicantIdentityPolicy = .xca) throws -> CertificateTrust {
        func files(_ name: String, _ ext: String) throws -> [URL] {
            let dir = trustDirectory.appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
            return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == ext }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        let roots = try files("roots", "pem").map { try String(contentsOf: $0, encoding: .utf8) }
        let crls = try files("crl", "crl").map { try Data(contentsOf: $0) }
        return try CertificateTrust(rootsPEM: roots, crls: crls, production: production, identity: identity)
    }

    /// The same, with the policy's mode: `production` refuses test roots.
    public static func load(trustDirectory: URL, mode: PolicyMode, identity: ApplicantIdentityPolicy = .xca) throws -> CertificateTrust {
        try load(trustDirectory: trustDirectory, production: mode == .production, identity: identity)
    }

    /// `sha256:<hex>` of each root's DER.
    public var rootFingerprints: [String] { roots.map { fingerprints[$0] ?? "" } }

    /// The CRLs in use.
    public var revocationLists: [CertificateRevocationList] { revocations.lists }

    /// Validates `chain` at `signedAt`: to a root, every certificate valid then, key usage, basic constraints, no revocation at
    /// or before `signedAt`. Returns the validated chain (leaf first, root last) and the earliest later revocation, if any.
    func validate(_ chain: CertificateChain, signedAt: Date) async throws -> (chain: [Certificate], revokedAt: Date?) {
        if let known = validatedChains.lookup(chain.der, at: signedAt) { return known }
        let leaf = chain.certificates[0]
        let intermediates = CertificateStore(chain.certificates.dropFirst())
        let revocations = self.revocations
        var verifier = Verifier(rootCertificates: store) {
            DocumentKeyUsagePolicy()
            DocumentBasicConstraintsPolicy()
            RFC5280Policy(fixedExpiryValidationTime: signedAt)
            CRLRevocationPolicy(signingTime: signedAt, index: revocations)
        }
        switch await verifier.validate(leaf: leaf, intermediates: intermediates) {
        case .validCertificate(let validated):
            let certificates = Array(validated)
            if production, let root = certificates.last, TestPKI.isTestRoot(root) {
                throw SigningError(.testRootInProduction, detail: "chain ends at TEST ROOT \(root.subject)")
            }
            let verdict = (chain: certificates, revokedAt: revocations.earliestRevocation(in: certificates))
            validatedChains.insert(chain.der, verdict)
            return verdict
        case .couldNotValidate(let failures):
            throw Self.diagnose(leaf: leaf, failures: failures, signedAt: signedAt, index: revocations)
        }
    }

    /// The most telling error for a chain that did not validate.
    private static func diagnose(leaf: Certificate, failures: [CertificateValidationResult.PolicyFailure], signedAt: Date, index: RevocationIndex) -> SigningError {
        let handled: Set<ASN1ObjectIdentifier> = [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.nameConstraints]
        if let critical = leaf.extensions.first(where: { $0.critical && !handled.contains($0.oid) }) {
            return SigningError(.chainInvalid, detail: "unhandled critical extension \(critical.oid)")
        }
        guard !failures.isEmpty else {
            return SigningError(.unknownRoot, detail: "no chain from \(leaf.subject) to a trusted root")
        }
        var errors: [SigningError] = []
        for failure in failures {
            let chain = Array(failure.chain)
            // Check in order of what matters most, whichever policy noticed first.
            if let (code, detail) = ChainChecks.validity(chain, at: signedAt)
                ?? ChainChecks.basicConstraints(chain)
                ?? ChainChecks.keyUsage(chain)
                ?? ChainChecks.revocation(chain, at: signedAt, index: index) {
                errors.append(SigningError(code, detail: detail))
            } else if let code = ChainChecks.code(of: failure.policyFailureReason) {
                errors.append(SigningError(code, detail: failure.policyFailureReason.description))
            } else {
                errors.append(SigningError(.chainInvalid, detail: String(failure.policyFailureReason.description.prefix(200))))
            }
        }
        return errors.first(where: { $0.code != .chainInvalid }) ?? errors[0]
    }
}

/// Chains a ``CertificateTrust`` validated, by the certificates an envelope carries (DER,
/// leaf first), each with the path it was validated along and its earliest revocation. The
/// verdict depends on the signing time only through each certificate's validity and the
/// revocations (the other checks look at the certificates alone), so it stands for any time
/// at which every certificate of that path is valid and that is before its earliest
/// revocation: the checks of ``ChainChecks`` that the policies apply. Only chains that
/// validated are kept; one that failed is diagnosed again each time.
final class ValidatedChains: @unchecked Sendable {
    typealias Verdict = (chain: [Certificate], revokedAt: Date?)
    private let lock = NSLock()
    private var verdicts: [[[UInt8]]: [Verdict]] = [:]
    private var inserted = 0
    /// Full validations that succeeded (the rest were answered from here): for tests.
    var validations: Int { lock.withLock { inserted } }
    /// Chains kept at most; past it the cache starts again (a jurisdiction has a few hundred).
    static let limit = 4096

    func lookup(_ der: [[UInt8]], at time: Date) -> Verdict? {
        lock.withLock {
            verdicts[der]?.first { verdict in
                ChainChecks.validity(verdict.chain, at: time) == nil && verdict.revokedAt.map { time < $0 } ?? true
            }
        }
    }

    func insert(_ der: [[UInt8]], _ verdict: Verdict) {
        lock.withLock {
            inserted += 1
            if verdicts.count >= Self.limit { verdicts.removeAll() }
            verdicts[der, default: []].append(verdict)
        }
    }
}

/// The outcome of a certificate signature: verified, or verified except that a certificate of its chain was revoked after the
/// claimed signing time — which counts only once a hub receipt from before the revocation covers it.
public enum CertificateVerdict: Sendable, Hashable {
    case verified(VerifiedSignature)
    case revokedAfterSigning(at: Date, PendingSignature)

    /// The verified signature, or nil when a receipt is still needed.
    public var verifiedSignature: VerifiedSignature? {
        if case .verified(let signature) = self { return signature }
        return nil
    }

    /// The verified signature; `.revokedAfterSigning` throws its own code.
    public func requireVerified() throws(SigningError) -> VerifiedSignature {
        switch self {
        case .verified(let signature): return signature
        case .revokedAfterSigning(let date, let pending):
            throw SigningError(.revokedAfterSigning, detail: "\(pending.keyID) revoked at \(date); a receipt from before is needed")
        }
    }

    /// The certificate details, whatever the outcome.
    public var certificate: VerifiedCertificate {
        switch self {
        case .verified(let signature): signature.certificate!
        case .revokedAfterSigning(_, let pending): pending.certificate
        }
    }
}

/// A signature that verified with a chain valid at the claimed signing time, by a certificate revoked since. Not trusted:
/// only a later CaseSigning API that takes a hub receipt from before `revokedAt` can turn it into a ``VerifiedSignature``.
public struct PendingSignature: Sendable, Hashable {
    public let keyID: String
    public let publicKey: SSHPublicKey
    /// The chain as judged at the claimed signing time.
    public let certificate: VerifiedCertificate
    public let revokedAt: Date
    /// The digest of the document signed (what a receipt would cover).
    public let payloadSHA256: String
}

extension SignatureEnvelope {
    /// Verifies every entry that carries an X.509 chain, judging the chain at `signedAt` (the signing time the document
    /// states). Entries without a chain are left to ``verify(document:payloadType:keys:)``; if none carries one:
    /// .missingCertificate. Any chain entry that fails throws (a bad signature, an invalid chain, a revocation before
    /// `signedAt`), so a verdict list is returned only when every chain entry holds.
    public func verify(document: Data, payloadType: String, signedAt: Date, trust: CertificateTrust) async throws -> [CertificateVerdict] {
        try checkPrelude(document: document, payloadType: payloadType)
        var message = SignedMessage(payloadType: payloadType, document: document)
        var verdicts: [CertificateVerdict] = []
        for entry in signatures {
            guard let encodedChain = entry.chain else { continue }
            let chain = try CertificateChain(base64: encodedChain)
            let key = chain.leafPublicKey
            guard entry.keyid == key.fingerprint else {
                throw SigningError(.badSignature, detail: "keyid \(entry.keyid.prefix(80)) is not the chain's leaf key \(key.fingerprint)")
            }
            guard let sig = Data(base64Encoded: entry.sig), message.isValid(sig, by: key) else {
                throw SigningError(.badSignature, detail: entry.keyid)
            }
            let (validated, revokedAt) = try await trust.validate(chain, signedAt: signedAt)
            let certificate = VerifiedCertificate(chain: validated, leafDER: chain.der[0], judgedAt: signedAt, identity: trust.identity,
                                                  rootFingerprint: validated.last.flatMap { trust.fingerprints[$0] })
            if let revokedAt {
                verdicts.append(.revokedAfterSigning(at: revokedAt, PendingSignature(
                    keyID: key.fingerprint, publicKey: key, certificate: certificate, revokedAt: revokedAt, payloadSHA256: payloadSHA256)))
            } else {
                verdicts.append(.verified(VerifiedSignature(publicKey: key, certificate: certificate)))
            }
        }
        guard !verdicts.isEmpty else {
            throw SigningError(.missingCertificate, detail: "no signature carries a certificate chain")
        }
        return verdicts
    }

    /// Verifies an applicant document for `organization`: every chain entry must verify (as above) and be an XCA certificate
    /// for that organization (.notXCAIssuer, .organizationMismatch). Returns the first signer's verdict.
    public func verifyApplicant(document: Data, payloadType: String, signedAt: Date, organization: String, trust: CertificateTrust) async throws -> CertificateVerdict {
        let verdicts = try await verify(document: document, payloadType: payloadType, signedAt: signedAt, trust: trust)
        for verdict in verdicts {
            try verdict.certificate.checkApplicant(organization: organization)
        }
        return verdicts[0]
    }
}
