import Foundation

/// Where every part of the program reads the time. Injected so that tests and the demo
/// can walk through months in seconds; production reads the system clock.
public protocol CaseClock: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemClock: CaseClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that always says the same time (`WEBJCASE_NOW`, tests).
public struct FixedClock: CaseClock {
    public let date: Date
    public init(_ date: Date) { self.date = date }
    public func now() -> Date { date }
}

/// Asia/Taipei: UTC+8 all year, no daylight saving time.
public enum Taipei {
    public static let offsetSeconds = 8 * 3600
    public static let timeZone = TimeZone(secondsFromGMT: offsetSeconds)!

    /// A Gregorian calendar fixed to Asia/Taipei.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// The calendar year of `date` in Taipei.
    public static func year(of date: Date) -> Int {
        calendar.component(.year, from: date)
    }
}
