internal import CLibGit2

/// A SHA-1 object id; ordered by its bytes.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    // The 20 bytes, big-endian, so that tuple order is byte order.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The all-zero id (used by git for "no object").
    public static let zero = ObjectID(bytes: [UInt8](repeating: 0, count: 20))

    /// The id of the empty tree.
    public static let emptyTree = ObjectID(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")!

    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        var index = 0
        while index < 40 {
            guard let upper = Self.nibble(digits[index]), let lower = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(upper << 4 | lower)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// The 40 lowercase hexadecimal digits.
    public var hex: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var digits = [UInt8]()
        digits.reserveCapacity(40)
        for byte in bytes {
            digits.append(alphabet[Int(byte >> 4)])
            digits.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The hexadecimal form.
    public var description: String { hex }

    /// Byte-wise order.
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// The 20 raw bytes.
    var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(20)
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return result
    }

    /// Expects exactly 20 bytes.
    private init(bytes: [UInt8]) {
        precondition(bytes.count == 20)
        func pack<T: FixedWidthInteger>(_ slice: ArraySlice<UInt8>, as: T.Type) -> T {
            slice.reduce(T.zero) { $0 << 8 | T($1) }
        }
        high = pack(bytes[0..<8], as: UInt64.self)
        middle = pack(bytes[8..<16], as: UInt64.self)
        low = pack(bytes[16..<20], as: UInt32.self)
    }

    init(_ oid: git_oid) {
        self.init(bytes: withUnsafeBytes(of: oid.id) { Array($0.prefix(20)) })
    }

    /// The libgit2 form.
    var oid: git_oid {
        var oid = git_oid()
        let source = bytes
        withUnsafeMutableBytes(of: &oid.id) { target in
            for (index, byte) in source.enumerated() where index < target.count { target[index] = byte }
        }
        return oid
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
