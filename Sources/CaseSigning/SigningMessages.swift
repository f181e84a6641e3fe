import CaseModel
import CaseSigning

extension SigningError {
    /// The catalogue message for this error about `file` (a document, a key or a signature).
    public func message(file: String) -> Message {
        switch code {
        case .malformedPublicKey, .unsupportedKeyType, .malformedPrivateKey, .keyTooSmall, .unsupportedAlgorithm:
            Message(.keyMalformed, ["file": file, "detail": code.rawValue])
        case .malformedCertificate, .malformedCRL, .missingCertificate:
            Message(.certificateMalformed, ["file": file, "detail": code.rawValue])
        case .expiredAtSigningTime:
            Message(.certificateExpired, ["file": file, "detail": detail])
        case .notYetValid:
            Message(.certificateNotYetValid, ["file": file, "detail": detail])
        case .wrongKeyUsage, .notCA:
            Message(.certificateUsage, ["file": file, "detail": detail])
        case .unknownRoot, .chainInvalid:
            Message(.certificateUntrusted, ["file": file, "detail": detail])
        case .revoked:
            Message(.certificateRevoked, ["file": file, "detail": detail])
        case .revokedAfterSigning:
            Message(.certificateRevokedAfterSigning, ["file": file, "detail": detail])
        case .organizationMismatch:
            Message(.certificateOrganization, ["file": file, "detail": detail])
        case .notXCAIssuer:
            Message(.certificateNotXCA, ["file": file, "detail": detail])
        case .testRootInProduction:
            Message(.certificateTestRoot, ["file": file, "detail": detail])
        case .malformedCMS:
            Message(.cmsMalformed, ["file": file, "detail": detail])
        case .encryptedPrivateKey:
            Message(.keyEncrypted, ["file": file])
        case .privateKeyPermissions:
            Message(.keyPermissions, ["file": file])
        case .malformedSignature, .malformedEnvelope, .payloadTypeMismatch, .noSignatures, .duplicateKey, .namespaceMismatch:
            Message(.signatureMalformed, ["file": file, "detail": code.rawValue])
        case .badSignature:
            Message(.signatureBad, ["file": file, "keyid": detail.isEmpty ? "?" : detail])
        case .digestMismatch:
            Message(.signatureDigestMismatch, ["file": file])
        case .unknownKey:
            Message(.signatureUnknownKey, ["file": file, "keyid": detail.isEmpty ? "?" : detail])
        }
    }
}
