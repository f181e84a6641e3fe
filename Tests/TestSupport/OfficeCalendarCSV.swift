import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows of a DGPA office calendar (data.gov.tw dataset 14718) for `year`, as the
/// published CSV has them: `YYYYMMDD,星期,是否放假,備註`, Saturdays and Sundays days off
/// unless listed in `workdays`, weekdays working days unless listed in `daysOff`
/// (keys `YYYYMMDD`, values the note).
public func officeCalendarRows(year: Int, daysOff: [String: String] = [:], workdays: [String: String] = [:]) -> [String] {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let names = ["日", "一", "二", "三", "四", "五", "六"]
    var day = calendar.date(from: DateComponents(year: year, month: 1, day: 1))!
    var rows: [String] = []
    while calendar.component(.year, from: day) == year {
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
        let key = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        let weekend = c.weekday == 1 || c.weekday == 7
        let (flag, note): (String, String) = if let note = workdays[key] { ("0", note) }
            else if let note = daysOff[key] { ("2", note) }
            else { (weekend ? "2" : "0", "") }
        rows.append("\(key),\(names[c.weekday! - 1]),\(flag),\(note)")
        day = calendar.date(byAdding: .day, value: 1, to: day)!
    }
    return rows
}

/// A whole DGPA CSV: the header and `rows`, with CRLF line ends as the published files have.
public func officeCalendarCSV(_ rows: [String]) -> String {
    (["西元日期,星期,是否放假,備註"] + rows).joined(separator: "\r\n") + "\r\n"
}

/// `text` in Big5 (CP950), through the C library's iconv, as the DGPA published older years.
public func big5(_ text: String) -> Data {
    let converter = iconv_open("CP950", "UTF-8")
    precondition(converter != iconv_t(bitPattern: -1), "no CP950 converter")
    defer { iconv_close(converter) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count + 16)
    var inputLeft = input.count, outputLeft = output.count
    let status = input.withUnsafeMutableBytes { inBuffer in
        output.withUnsafeMutableBytes { outBuffer in
            var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
            return iconv(converter, &inPointer, &inputLeft, &outPointer, &outputLeft)
        }
    }
    precondition(status != -1 && inputLeft == 0, "not representable in CP950")
    return Data(output[0..<(output.count - outputLeft)])
}
