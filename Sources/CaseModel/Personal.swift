/// A personal field — a contact's name, a phone number, an e-mail address — in a signed
/// document: a salted sha256 commitment, never the value (DESIGN §2). The value and its
/// salt live in the personal store, which alone may be rewritten (a deletion under the
/// Personal Data Protection Act leaves the commitment, and every signature, intact).
///
/// A `--data` file may give the value as `{value: "…"}`; `webjcase step` keeps it in the
/// personal store and signs the commitment. A step document holding a value is refused
/// (S-PERSONAL).
public enum PersonalField: Sendable, Equatable, Codable {
    case value(String)
    /// `sha256:<hex>` of the salt followed by the value's UTF-8 bytes.
    case commitment(String)

    enum Key: String, CodingKey { case value }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            self = .value(try keyed.decode(String.self, forKey: .value))
            return
        }
        let text = try decoder.singleValueContainer().decode(String.self)
        guard Self.isCommitment(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "personal field: a commitment `sha256:<64 hex>` or `{value: \"…\"}`"))
        }
        self = .commitment(text)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let value):
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(value, forKey: .value)
        case .commitment(let commitment):
            var single = encoder.singleValueContainer()
            try single.encode(commitment)
        }
    }

    public static func isCommitment(_ text: String) -> Bool {
        let hex = text.utf8.dropFirst(7)
        return text.hasPrefix("sha256:") && hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension StepData {
    /// The personal fields of this step's data, in order.
    public var personalFields: [PersonalField] {
        switch self {
        case .suspend(let v): [v.contact].compactMap { $0 }
        case .report(let v): [v.sender].compactMap { $0 }
        case .phoneConfirmation(let v): [v.contact, v.phone].compactMap { $0 }
        default: []
        }
    }

    /// The same data with each personal field replaced by `transform`'s result.
    public func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> StepData {
        switch self {
        case .suspend(var v):
            v.contact = try v.contact.map(transform)
            return .suspend(v)
        case .report(var v):
            v.sender = try v.sender.map(transform)
            return .report(v)
        case .phoneConfirmation(var v):
            v.contact = try v.contact.map(transform)
            v.phone = try v.phone.map(transform)
            return .phoneConfirmation(v)
        default:
            return self
        }
    }
}
