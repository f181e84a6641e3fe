import Foundation
import CaseModel

/// The government office calendar of some years: which days are working days.
public struct OfficeCalendar: Sendable {
    private let years: [Int: CalendarFile]

    public init(_ files: [CalendarFile]) {
        var years: [Int: CalendarFile] = [:]
        for file in files { years[file.year] = file }
        self.years = years
    }

    /// Whether `date` is a working day: Monday to Friday unless a rest day or a closure,
    /// Saturday and Sunday only when a make-up workday. Throws `calendarMissing`, naming
    /// the file, for a year without a calendar.
    public func isWorkingDay(_ date: CalendarDate) throws -> Bool {
        guard let file = years[date.year] else {
            throw CaseError(.calendarMissing, ["file": "calendar/\(date.year).yaml", "year": "\(date.year)"], status: .ruleBroken)
        }
        if file.workdays.contains(where: { $0.date == date }) { return true }
        if file.restDays.contains(where: { $0.date == date }) || file.closures.contains(where: { $0.date == date }) { return false }
        return !Deadlines.isWeekend(date)
    }

    /// The first working day after `date`.
    public func nextWorkingDay(after date: CalendarDate) throws -> CalendarDate {
        var day = Deadlines.adding(1, to: date)
        while try !isWorkingDay(day) { day = Deadlines.adding(1, to: day) }
        return day
    }
}

/// Periods that end on a date, under the Administrative Procedure Act art. 48 as DESIGN §5
/// reads it (Asia/Taipei): a period ends at the end of its last day; a last day that is a
/// Sunday, a national holiday or another rest day moves to the end of the next working
/// day; a last day that is a Saturday moves to noon of the next working day after it (the
/// following Monday, when that Monday is a working day); a make-up workday is a working day.
public enum Deadlines {
    /// The instant a period whose last day is `date` ends: the first instant after it.
    public static func end(of date: CalendarDate, calendar: OfficeCalendar) throws -> Date {
        if try calendar.isWorkingDay(date) { return startOfDay(adding(1, to: date)) }
        let next = try calendar.nextWorkingDay(after: date)
        if weekday(date) == 7 {
            return startOfDay(next).addingTimeInterval(12 * 3600)
        }
        return startOfDay(adding(1, to: next))
    }

    /// Whether `instant` is still within the period ending on `date`.
    public static func isWithin(_ instant: Date, periodEnding date: CalendarDate, calendar: OfficeCalendar) throws -> Bool {
        instant < (try end(of: date, calendar: calendar))
    }

    static func weekday(_ date: CalendarDate) -> Int {
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
