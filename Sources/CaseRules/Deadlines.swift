import Foundation
import CaseModel

/// How much of a day the government offices of the hub's city work.
public enum OfficeDay: Sendable, Equatable {
    /// A whole working day.
    case working
    /// A working morning, closed from noon (a closure of the afternoon).
    case morningOnly
    /// A rest day: Saturday or Sunday unless a make-up workday, a national holiday or other
    /// day off, a closure of the whole day.
    case rest
}

/// The government office calendar of some years: which days are working days.
public struct OfficeCalendar: Sendable {
    private let years: [Int: CalendarFile]

    public init(_ files: [CalendarFile]) {
        var years: [Int: CalendarFile] = [:]
        for file in files { years[file.year] = file }
        self.years = years
    }

    /// Whether the calendar of `year` is known.
    public func has(year: Int) -> Bool { years[year] != nil }

    /// What kind of day `date` is: Monday to Friday work unless a rest day or a closure,
    /// Saturday and Sunday only when a make-up workday; a closure counts only when it was
    /// announced for the hub's city (`Closure.countsForDeadlines`), and a closure of the
    /// afternoon leaves a working morning. Throws `calendarMissing`, naming the file, for a
    /// year without a calendar.
    public func day(_ date: CalendarDate) throws -> OfficeDay {
        guard let file = years[date.year] else {
            throw CaseError(.calendarMissing, ["file": "calendar/\(date.year).yaml", "year": "\(date.year)"], status: .ruleBroken)
        }
        let closures = file.closures.filter { $0.date == date && $0.countsForDeadlines }
        if closures.contains(where: \.isAllDay) { return .rest }
        let base: OfficeDay
        if file.workdays.contains(where: { $0.date == date }) {
            base = .working
        } else if file.restDays.contains(where: { $0.date == date }) {
            base = .rest
        } else {
            base = Deadlines.isWeekend(date) ? .rest : .working
        }
        return base == .working && !closures.isEmpty ? .morningOnly : base
    }

    /// Whether `date` is a whole working day (a day closed in the afternoon is not).
    public func isWorkingDay(_ date: CalendarDate) throws -> Bool {
        try day(date) == .working
    }

    /// The first whole working day after `date`.
    public func nextWorkingDay(after date: CalendarDate) throws -> CalendarDate {
        var day = Deadlines.adding(1, to: date)
        while try !isWorkingDay(day) { day = Deadlines.adding(1, to: day) }
        return day
    }
}

/// When a period ends, as `Deadlines.bestEnd` finds it: from the published calendars, or,
/// for a day in a year without `calendar/<year>.yaml`, from the provisional rule.
public enum DeadlineEnd: Sendable, Equatable {
    /// Every day looked up lies in a year whose calendar is known.
    case final(Date)
    /// At least one day looked up lies in a year without a calendar: weekends and the
    /// fixed-date national holidays stood in for it (`ProvisionalCalendar`).
    case provisional(Date)

    public var date: Date {
        switch self {
        case .final(let date), .provisional(let date): date
        }
    }

    public var isProvisional: Bool {
        if case .provisional = self { return true }
        return false
    }
}

/// A period's end with what people need to read it: the last day as set, the day the
/// period really ends on, why, and whether the end is provisional.
public struct PeriodEnd: Sendable, Codable, Equatable {
    public enum Rule: String, Sendable, Codable {
        /// The last day is a working day: the period ends at its 24:00.
        case lastDay = "last-day"
        /// The last day is a rest day: the period ends at 24:00 of the next working day.
        case restDay = "rest-day"
        /// The last day was closed in the afternoon: as a rest day.
        case afternoonClosure = "afternoon-closure"
        /// The last day is a Saturday: the period ends at noon of the next working morning.
        case saturdayNoon = "saturday-noon"
    }

    /// The last day of the period as set (the deadline).
    public let lastDay: CalendarDate
    /// The day the period ends on: the last day, or the working day art. 48 (4) moves it to.
    public let endsOn: CalendarDate
    /// The instant the period ends (the first instant after it), Asia/Taipei.
    public let at: String
    public let rule: Rule
    /// Whether a day looked up lies in a year without a calendar.
    public let provisional: Bool
    /// The calendars a final end still needs (`calendar/<year>.yaml`), when provisional.
    public let missingCalendars: [String]

    public var date: Date { Timestamp(at)?.date ?? .distantPast }

    public var deadlineEnd: DeadlineEnd { provisional ? .provisional(date) : .final(date) }
}

/// Periods that end on a date, under the Administrative Procedure Act art. 48 as DESIGN §5
/// reads it (Asia/Taipei): a period ends at the end of its last day; a last day that is a
/// Sunday, a national holiday or another rest day moves to the end of the next working
/// day; a last day that is a Saturday moves to noon of the next working day after it (the
/// following Monday, when that Monday is a working day); a make-up workday is a working day.
/// Closures count only for the hub's city. A last day closed in the afternoon is read as a
/// rest day (the office was not open for the whole day): the period moves to the end of the
/// next whole working day; the Saturday rule needs only a working morning, so a Monday
/// closed in the afternoon still ends a Saturday period at its noon.
public enum Deadlines {
    /// The instant a period whose last day is `date` ends: the first instant after it.
    /// Throws `calendarMissing` when a day it must look up lies in a year without a calendar.
    public static func end(of date: CalendarDate, calendar: OfficeCalendar) throws -> Date {
        try compute(date) { try calendar.day($0) }.end
    }

    /// The end of the period, never failing: final from the calendars when every day looked
    /// up lies in a year with one, otherwise provisional (`ProvisionalCalendar` standing in
    /// for the years without).
    public static func bestEnd(of date: CalendarDate, calendar: OfficeCalendar) -> DeadlineEnd {
        period(of: date, calendar: calendar).deadlineEnd
    }

    /// The end of the period with the reading people need (`PeriodEnd`), never failing.
    public static func period(of date: CalendarDate, calendar: OfficeCalendar) -> PeriodEnd {
        var missing = Set<Int>()
        let found = try? compute(date) { day in
            if calendar.has(year: day.year) { return try calendar.day(day) }
            missing.insert(day.year)
            return ProvisionalCalendar.day(day)
        }
        // The lookup cannot fail: a year without a calendar is read provisionally.
        let result = found ?? (startOfDay(adding(1, to: date)), date, .lastDay)
        return PeriodEnd(lastDay: date, endsOn: result.endsOn, at: Timestamp(result.end).text, rule: result.rule,
                         provisional: !missing.isEmpty, missingCalendars: missing.sorted().map { "calendar/\($0).yaml" })
    }

    /// Whether `instant` is still within the period ending on `date`.
    public static func isWithin(_ instant: Date, periodEnding date: CalendarDate, calendar: OfficeCalendar) throws -> Bool {
        instant < (try end(of: date, calendar: calendar))
    }

    /// APA art. 48 (4) with `day` telling what each day is.
    static func compute(_ date: CalendarDate, day: (CalendarDate) throws -> OfficeDay) throws
        -> (end: Date, endsOn: CalendarDate, rule: PeriodEnd.Rule) {
        let status = try day(date)
        if status == .working { return (startOfDay(adding(1, to: date)), date, .lastDay) }
        if status == .rest && weekday(date) == 7 {
            // 以其次星期一上午為期間末日: the next day whose morning is worked, until noon.
            var next = adding(1, to: date)
            while try day(next) == .rest { next = adding(1, to: next) }
            return (startOfDay(next).addingTimeInterval(12 * 3600), next, .saturdayNoon)
        }
        var next = adding(1, to: date)
        while try day(next) != .working { next = adding(1, to: next) }
        return (startOfDay(adding(1, to: next)), next, status == .morningOnly ? .afternoonClosure : .restDay)
    }

    /// 1 Sunday … 7 Saturday.
    public static func weekday(_ date: CalendarDate) -> Int {
        Taipei.calendar.component(.weekday, from: startOfDay(date))
    }

    static func isWeekend(_ date: CalendarDate) -> Bool {
        [1, 7].contains(weekday(date))
    }

    public static func startOfDay(_ date: CalendarDate) -> Date {
        Taipei.calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) ?? Date.distantPast
    }

    public static func adding(_ days: Int, to date: CalendarDate) -> CalendarDate {
        CalendarDate(Taipei.calendar.date(byAdding: .day, value: days, to: startOfDay(date)) ?? startOfDay(date))
    }
}

/// The stand-in for a year whose office calendar is not published yet (the DGPA publishes
/// the next year's around June): Saturdays and Sundays, and the national holidays of the
/// Act on Implementing Memorial Days and Holidays (紀念日及節日實施條例, as amended
/// 2025-05-28) that fall on a fixed Gregorian date, with the Act's observed days (a holiday
/// on a Saturday is observed the working day before, one on a Sunday the working day
/// after). Holidays of the lunar calendar (Lunar New Year, Dragon Boat, Mid-Autumn), Tomb
/// Sweeping Day (the Qingming solar term), the DGPA's adjusted days off and make-up workdays
/// and closures are not known in advance: an end found with this calendar is provisional.
public enum ProvisionalCalendar {
    /// Month and day of each fixed-date holiday, with its names.
    public static let holidays: [(month: Int, day: Int, name: String, nameEn: String)] = [
        (1, 1, "中華民國開國紀念日", "Founding Day of the Republic of China"),
        (2, 28, "和平紀念日", "Peace Memorial Day"),
        (4, 4, "兒童節", "Children's Day"),
        (5, 1, "勞動節", "Labour Day"),
        (9, 28, "孔子誕辰紀念日(教師節)", "Confucius' Birthday (Teachers' Day)"),
        (10, 10, "國慶日", "National Day"),
        (10, 25, "臺灣光復暨金門古寧頭大捷紀念日", "Taiwan Retrocession and Guningtou Victory Memorial Day"),
        (12, 25, "行憲紀念日", "Constitution Day"),
    ]

    static func isHoliday(_ date: CalendarDate) -> Bool {
        holidays.contains { $0.month == date.month && $0.day == date.day }
    }

    /// What `date` is under the provisional rule.
    public static func day(_ date: CalendarDate) -> OfficeDay {
        switch Deadlines.weekday(date) {
        case 1, 7:
            return .rest
        case 6 where isHoliday(Deadlines.adding(1, to: date)):
            return .rest  // a Saturday holiday, observed on Friday
        case 2 where isHoliday(Deadlines.adding(-1, to: date)):
            return .rest  // a Sunday holiday, observed on Monday
        default:
            return isHoliday(date) ? .rest : .working
        }
    }
}

extension PeriodEnd {
    /// The end as people read it: the last day "until 24:00" rather than the next midnight;
    /// for a Saturday both the last day and "until Monday … 12:00"; marked when provisional.
    public var message: Message {
        let shown: Message = switch rule {
        case .lastDay: Message(.deadlineBy, ["day": endsOn.description])
        case .restDay: Message(.deadlineMovedRest, ["day": endsOn.description, "last": lastDay.description])
        case .afternoonClosure: Message(.deadlineMovedClosure, ["day": endsOn.description, "last": lastDay.description])
        case .saturdayNoon: Message(.deadlineSaturday, ["day": endsOn.description, "last": lastDay.description],
                                    parts: ["weekday": Self.weekdayName(endsOn)])
        }
        return provisional ? Self.provisional(shown, missingCalendars) : shown
    }

    /// `deadline` marked provisional, naming the calendars that would make it final.
    public static func provisional(_ deadline: Message, _ files: [String]) -> Message {
        Message(.deadlineProvisional, ["files": files.joined(separator: ", ")], parts: ["deadline": deadline])
    }

    /// A time (`at`) marked provisional, naming the calendars that would make it final.
    public static func provisional(at: String, _ files: [String]) -> Message {
        Message(.deadlineProvisional, ["files": files.joined(separator: ", "), "deadline": at])
    }

    /// The name of the day of the week of `date`.
    public static func weekdayName(_ date: CalendarDate) -> Message {
        let names: [MessageID] = [.weekdaySunday, .weekdayMonday, .weekdayTuesday, .weekdayWednesday,
                                  .weekdayThursday, .weekdayFriday, .weekdaySaturday]
        return Message(names[Deadlines.weekday(date) - 1])
    }
}
