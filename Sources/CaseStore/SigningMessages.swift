import CaseModel
import CaseSigning

extension SigningError {
    /// The catalogue message for this error about `file` (a document, a key or a signature).
    public func message(file: String) -> Message {
        switch code {
        case .malformedPublicKey, .unsupportedKeyType, .malformedPrivateKey:
            Message(.keyMalformed, ["file": file, "detail": code.rawValue])
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
