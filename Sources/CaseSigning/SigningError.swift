/// An error thrown by CaseSigning; compared and hashed by ``code`` only, ``detail`` is a short English note for logs.
public struct SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; a higher layer maps each code to its user-facing message.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformedPublicKey, unsupportedKeyType, malformedPrivateKey, encryptedPrivateKey, privateKeyPermissions
        case malformedSignature, badSignature, namespaceMismatch, malformedEnvelope, payloadTypeMismatch
        case digestMismatch, unknownKey, noSignatures, duplicateKey
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
