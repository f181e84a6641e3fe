import Foundation

/// A calendar date `YYYY-MM-DD` (deadlines, letter dates). It names a day, not an instant.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Fails for days that do not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day `date` falls on in Taipei.
    public init(_ date: Date) {
        let c = Taipei.calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year ?? 1970
        self.month = c.month ?? 1
        self.day = c.day ?? 1
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "date:\(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An instant with its UTC offset, RFC 3339 (`2026-03-02T10:15:00+08:00`): the times
/// signers claim in steps (`at:`) and forms (`signedAt:`).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let date: Date
    /// The text as written; a signed document keeps its exact bytes.
    public let text: String

    /// Formats `date` in Asia/Taipei to the second.
    public init(_ date: Date) {
        let seconds = floor(date.timeIntervalSince1970)
        self.date = Date(timeIntervalSince1970: seconds)
        let c = Taipei.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: self.date)
        self.text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
                           c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; refuses impossible dates and times.
    public init?(_ text: String) {
        let scalars = Array(text.utf8)
        guard scalars.count >= 20, scalars.allSatisfy({ $0 < 0x80 }) else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var n = 0
            for i in range {
                let b = scalars[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard let y = number(0..<4), scalars[4] == 0x2D, let mo = number(5..<7), scalars[7] == 0x2D,
              let d = number(8..<10), scalars[10] == 0x54 /* T */, let h = number(11..<13),
              scalars[13] == 0x3A, let mi = number(14..<16), scalars[16] == 0x3A, let s = number(17..<19),
              CalendarDate(year: y, month: mo, day: d) != nil, h < 24, mi < 60, s < 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if scalars[index] == 0x2E /* . */ {
            let start = index + 1
            index = start
            while index < scalars.count, (0x30...0x39).contains(scalars[index]) { index += 1 }
            guard index > start, index - start <= 9, let f = Double("0." + String(decoding: scalars[start..<index], as: UTF8.self)) else { return nil }
            fraction = f
        }
        guard index < scalars.count else { return nil }
        var offset = 0
        if scalars[index] == 0x5A /* Z */ {
            guard index + 1 == scalars.count else { return nil }
        } else {
            let sign = scalars[index]
            guard sign == 0x2B || sign == 0x2D, index + 6 == scalars.count, scalars[index + 3] == 0x3A,
                  let oh = number((index + 1)..<(index + 3)), let om = number((index + 4)..<(index + 6)),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == 0x2B ? 1 : -1)
        }
        var components = DateComponents()
        components.year = y; components.month = mo; components.day = d
        components.hour = h; components.minute = mi; components.second = s
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        guard let base = utc.date(from: components) else { return nil }
        self.date = base.addingTimeInterval(fraction - Double(offset))
        self.text = text
    }

    public var description: String { text }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.date < b.date }
    public static func == (a: Timestamp, b: Timestamp) -> Bool { a.date == b.date }
    public func hash(into hasher: inout Hasher) { hasher.combine(date) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Timestamp(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "timestamp:\(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
