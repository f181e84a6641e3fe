import Foundation

/// The kinds of case (DESIGN §5) and the seed point each one serves.
public enum CaseKind: String, Sendable, Codable, CaseIterable {
    /// Registration: a new application (point 4) or a re-application (point 9).
    case registration = "REG"
    /// Change of the user's information (point 5).
    case change = "CHG"
    /// Pause of use (point 5).
    case pause = "PAU"
    /// Cancellation of use (point 5).
    case cancel = "CAN"
    /// Audit of a user's use of the System (point 6).
    case audit = "AUD"
    /// Enforcement: suspension, improvement, termination (points 7 and 8).
    case enforcement = "ENF"
    /// Revocation of a user's qualification (points 4 and 5).
    case revocation = "REV"

    /// Application cases go through initial and secondary review.
    public var isApplication: Bool {
        switch self {
        case .registration, .change, .pause, .cancel: true
        case .audit, .enforcement, .revocation: false
        }
    }

    /// Whether an agency node opens this kind (the others are opened by the Centre).
    public var openedByAgency: Bool { isApplication }
}

/// A case id, `<KIND>-<year>-<node>-<nnnn>` (e.g. `REG-2026-edu1-0007`).
public struct CaseID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let kind: CaseKind
    public let year: Int
    public let node: String
    public let number: Int

    public init(kind: CaseKind, year: Int, node: String, number: Int) {
        self.kind = kind
        self.year = year
        self.node = node
        self.number = number
    }

    /// Parses the canonical spelling only (four-digit counter or more, no leading `+`).
    public init?(_ text: String) {
        self.init(Substring(text))
    }

    /// The same, from part of a longer string (a path), without copying it first: one
    /// pass over the bytes (paths and indexes hold many ids).
    public init?(_ text: Substring) {
        var parsed: CaseID?
        text.utf8.withContiguousStorageIfAvailable { bytes in parsed = CaseID.parse(bytes) } ?? { parsed = CaseID.parse(Array(text.utf8)) }()
        guard let parsed else { return nil }
        self = parsed
    }

    /// The same, from UTF-8 bytes (a field of a file read as bytes). Not generic, so that
    /// the parse is specialized here (unspecialized from another module, it was ten times slower).
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = CaseID.parse(bytes) else { return nil }
        self = parsed
    }

    static func parse<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> CaseID? where Bytes.Element == UInt8, Bytes.Index == Int {
        var dashes = (0, 0, 0), found = 0
        for index in bytes.indices where bytes[index] == 0x2D {
            switch found {
            case 0: dashes.0 = index
            case 1: dashes.1 = index
            case 2: dashes.2 = index
            default: return nil
            }
            found += 1
        }
        guard found == 3 else { return nil }
        let start = bytes.startIndex, end = bytes.endIndex
        let kindBytes = bytes[start..<dashes.0]
        guard let kind = CaseKind.allCases.first(where: { $0.rawValue.utf8.elementsEqual(kindBytes) }) else { return nil }
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        let yearBytes = bytes[(dashes.0 + 1)..<dashes.1]
        guard yearBytes.count == 4, yearBytes.allSatisfy(isDigit) else { return nil }
        let year = yearBytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard (2000...9999).contains(year) else { return nil }
        let nodeBytes = bytes[(dashes.1 + 1)..<dashes.2]
        guard (2...16).contains(nodeBytes.count), let first = nodeBytes.first, (0x61...0x7A).contains(first),
              nodeBytes.allSatisfy({ (0x61...0x7A).contains($0) || isDigit($0) }) else { return nil }
        // The counter: digits only, at least four, no leading zero beyond the four-digit padding
        // (so that the id prints back exactly as written).
        let digits = bytes[(dashes.2 + 1)..<end]
        guard digits.count >= 4, digits.count <= 18, digits.allSatisfy(isDigit), digits.count == 4 || digits.first != 0x30 else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard number >= 1 else { return nil }
        return CaseID(kind: kind, year: year, node: String(decoding: nodeBytes, as: UTF8.self), number: number)
    }

    public var description: String {
        let digits = String(number)
        let padded = digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
        return "\(kind.rawValue)-\(year)-\(node)-\(padded)"
    }

    /// The case's directory in the repository: `cases/<year>/<node>/<id>`.
    public var directory: String { "cases/\(year)/\(node)/\(description)" }

    /// The order of the ids' spellings (compared field by field, which is the same while
    /// counters have four digits: node names and kinds hold no character below `-`).
    public static func < (a: CaseID, b: CaseID) -> Bool {
        guard a.number < 10_000, b.number < 10_000 else { return a.description < b.description }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.year != b.year { return a.year < b.year }
        if a.node != b.node { return a.node < b.node }
        return a.number < b.number
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = CaseID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "case-id:\(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Rules for the short names of nodes and jurisdictions: they appear in paths, ids and
/// e-mail-like committer addresses.
public enum NodeName {
    /// Lowercase ASCII letters and digits, starting with a letter, 2 to 16 characters.
    public static func isValid(_ name: String) -> Bool {
        guard (2...16).contains(name.utf8.count), let first = name.utf8.first, (0x61...0x7A).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }
}

/// Organization ids, in their one canonical spelling, so that two spellings can never name
/// one organization (`0012345678` beside `12345678`, `ab-1` beside `AB-1`): digits only,
/// either exactly eight (the 統一編號 on its letters and certificate, leading zeros kept)
/// or any other number of them up to 32 without a leading zero (a school's or agency's
/// code); or an id that starts with an uppercase letter and goes on in uppercase letters,
/// digits and single dashes, not ending in one, at most 32 characters; or an object
/// identifier as the XCA puts an organization's id in its certificate (attribute
/// 2.16.886.1.100.2.102, e.g. `2.16.886.111.100001.1.2`): dotted arcs of digits, at least
/// two, the first 0, 1 or 2 (under 0 and 1 the second at most 39), none with a leading
/// zero, at most 64 characters.
public enum OrganizationID {
    public static func isValid(_ id: String) -> Bool {
        isObjectIdentifier(id) || isPlain(id)
    }

    /// The OID form: `2.16.886.111.100001.1.2`.
    public static func isObjectIdentifier(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (3...64).contains(bytes.count) else { return false }
        let arcs = bytes.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard arcs.count >= 2 else { return false }
        for arc in arcs {
            guard !arc.isEmpty, arc.allSatisfy({ (0x30...0x39).contains($0) }), arc.count == 1 || arc.first != 0x30 else { return false }
        }
        guard arcs[0].count == 1, let first = arcs[0].first, (0x30...0x32).contains(first) else { return false }
        // Under 0 and 1 the second arc is at most 39 (X.660), or the OID has no encoding.
        return first == 0x32 || arcs[1].count == 1 || (arcs[1].count == 2 && arcs[1].first! <= 0x33)
    }

    private static func isPlain(_ id: String) -> Bool {
        let bytes = id.utf8
        func digit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
        func upper(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) }
        if bytes.allSatisfy(digit) { return bytes.count == 8 || ((1...32).contains(bytes.count) && bytes.first != 0x30) }
        guard (2...32).contains(bytes.count), let first = bytes.first, upper(first), bytes.last != 0x2D else { return false }
        var previous: UInt8 = 0
        for b in bytes {
            guard digit(b) || upper(b) || (b == 0x2D && previous != 0x2D) else { return false }
            previous = b
        }
        return true
    }
}
