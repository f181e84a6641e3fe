import Foundation

/// Reads the SSH wire encoding (RFC 4251 §5): uint32 big-endian and length-prefixed strings.
struct SSHReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let failure: SigningError.Code

    /// `failure` is the code thrown when the input is truncated or inconsistent.
    init<D: Sequence>(_ bytes: D, failure: SigningError.Code) where D.Element == UInt8 {
        self.bytes = Array(bytes)
        self.failure = failure
    }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func readBytes(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw SigningError(failure, detail: "truncated \(what)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readUInt32(_ what: String) throws -> UInt32 {
        let b = try readBytes(4, what)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readString(_ what: String) throws -> [UInt8] {
        let length = try readUInt32(what)
        return try readBytes(Int(length), what)
    }

    /// Reads a string that must be valid UTF-8 text.
    mutating func readText(_ what: String) throws -> String {
        let raw = try readString(what)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw SigningError(failure, detail: "\(what) is not UTF-8")
        }
        return text
    }

    func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw SigningError(failure, detail: "\(remaining) trailing bytes after \(what)") }
    }
}

/// Builds the SSH wire encoding.
struct SSHWriter {
    private(set) var bytes: [UInt8] = []

    mutating func writeUInt32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    mutating func writeString<D: Collection>(_ value: D) where D.Element == UInt8 {
        writeUInt32(UInt32(value.count))
        bytes += value
    }

    mutating func writeString(_ text: String) { writeString(Array(text.utf8)) }

    /// Writes an unsigned big-endian integer as an SSH mpint (minimal, with a zero byte when the high bit is set).
    mutating func writeMPInt(_ magnitude: [UInt8]) {
        let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        if let first = trimmed.first, first & 0x80 != 0 {
            writeString([0] + trimmed)
        } else {
            writeString(trimmed)
        }
    }

    mutating func writeRaw<D: Sequence>(_ value: D) where D.Element == UInt8 { bytes += value }

    var data: Data { Data(bytes) }
}

/// PEM-like armor as OpenSSH writes it: base64 wrapped at 70 columns.
enum Armor {
    static func encode(_ body: some Collection<UInt8>, label: String) -> String {
        let b64 = Data(body).base64EncodedString()
        var out = "-----BEGIN \(label)-----\n"
        var index = b64.startIndex
        while index < b64.endIndex {
            let end = b64.index(index, offsetBy: 70, limitedBy: b64.endIndex) ?? b64.endIndex
            out += b64[index..<end] + "\n"
            index = end
        }
        out += "-----END \(label)-----\n"
        return out
    }

    /// Returns the decoded body, or nil when the markers or base64 are wrong. Surrounding whitespace and CRLF are tolerated.
    static func decode(_ text: String, label: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return decodeText(text, label: label) }
        // ASCII (every armor git and ssh-keygen write): lines and base64 as bytes, in one
        // pass that keeps the lines between the first and the last.
        var text = text
        return text.withUTF8 { bytes -> [UInt8]? in
            var first: Range<Int>?, last: Range<Int>?
            var b64: [UInt8] = []
            b64.reserveCapacity(bytes.count)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                var from = start, to = end
                while from < to, bytes[from] == 0x20 || bytes[from] == 0x09 { from += 1 }
                while to > from, bytes[to - 1] == 0x20 || bytes[to - 1] == 0x09 { to -= 1 }
                if from < to {
                    if first == nil {
                        first = from..<to
                    } else {
                        if let previous = last { b64.append(contentsOf: bytes[previous]) }
                        last = from..<to
                    }
                }
                start = end + 1
            }
            guard let first, let last, bytes[first].elementsEqual("-----BEGIN \(label)-----".utf8),
                  bytes[last].elementsEqual("-----END \(label)-----".utf8) else { return nil }
            guard !b64.isEmpty, !b64.contains(0x2D), let data = Data(base64Encoded: Data(b64)) else { return nil }
            return Array(data)
        }
    }

    /// The same for text with other than ASCII in it (where Unicode spaces are trimmed too).
    private static func decodeText(_ text: String, label: String) -> [UInt8]? {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.count >= 2, lines.first == begin, lines.last == end else { return nil }
        let b64 = lines.dropFirst().dropLast().joined()
        guard !b64.isEmpty, !b64.contains(where: { $0 == "-" }),
              let data = Data(base64Encoded: b64) else { return nil }
        return Array(data)
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
