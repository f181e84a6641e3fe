/// An error thrown by CaseSigning; compared and hashed by ``code`` only, ``detail`` is a short English note for logs.
public struct SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; a higher layer maps each code to its user-facing message.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformedPublicKey, unsupportedKeyType, malformedPrivateKey, encryptedPrivateKey, privateKeyPermissions
        case malformedSignature, badSignature, namespaceMismatch, malformedEnvelope, payloadTypeMismatch
        case digestMismatch, unknownKey, noSignatures, duplicateKey
        // Keys and algorithms (ECDSA P-256, RSA).
        /// An RSA key under 2048 bits (or over 4096).
        case keyTooSmall
        /// A signature or certificate algorithm this library does not accept (e.g. SHA-1, P-384, RSA-PSS).
        case unsupportedAlgorithm
        // X.509 certificates and chains, judged at the document's signing time.
        /// A certificate or chain that does not parse as DER X.509.
        case malformedCertificate
        /// A CRL in `trust/crl/` that does not parse, or whose signature does not verify with its issuer's key.
        case malformedCRL
        /// An envelope entry was expected to carry an X.509 chain and none does.
        case missingCertificate
        /// A certificate of the chain had expired when the document says it was signed.
        case expiredAtSigningTime
        /// A certificate of the chain was not yet valid when the document says it was signed.
        case notYetValid
        /// The signing certificate lacks key usage digitalSignature (or a CA lacks keyCertSign).
        case wrongKeyUsage
        /// A certificate that issued another is not a CA (basic constraints), or a path length was exceeded.
        case notCA
        /// The chain does not lead to any root in `trust/roots/`.
        case unknownRoot
        /// The chain is invalid for another reason (unhandled critical extension, name constraints, version…).
        case chainInvalid
        /// A certificate of the chain was revoked at or before the signing time.
        case revoked
        /// A certificate of the chain was revoked after the claimed signing time: only a hub receipt from before the
        /// revocation can make the signature count.
        case revokedAfterSigning
        /// An applicant's certificate names another organization id than the document.
        case organizationMismatch
        /// An applicant's certificate was not issued by the XCA (組織及團體憑證管理中心).
        case notXCAIssuer
        /// A test root (made by `TestPKI`) in a trust store of a `production` repository.
        case testRootInProduction
        /// A detached CMS signature (`<doc>.p7s`) that does not parse or is not of the accepted shape (one signer,
        /// detached, certificates embedded, SHA-256).
        case malformedCMS
    }

    /// The kind of error.
    public let code: Code
    /// A short English diagnostic for logs; not meant for end users.
    public let detail: String

    /// Creates an error; an empty `detail` is fine when comparing against a thrown error.
    public init(_ code: Code, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// `SigningError.<code>: <detail>`.
    public var description: String {
        detail.isEmpty ? "SigningError.\(code.rawValue)" : "SigningError.\(code.rawValue): \(detail)"
    }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: SigningError, rhs: SigningError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
