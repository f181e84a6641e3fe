import Foundation
import CaseModel

/// Dates as people in Taiwan often write them, which case documents do not take: the
/// Republic of China year (`115-12-04`, `115/12/04`, `民國115年12月4日` is 2026-12-04) and
/// slashes (`2026/12/04`). Read only to say exactly what to write instead.
package enum LocalDate {
    package enum Written { case roc, slashes }

    /// How `text` was written and the same day as YYYY-MM-DD, when it is such a date of a real day.
    package static func reading(_ text: String) -> (Written, String)? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let first = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        let written: Written
        let year: Int
        if parts[0].count <= 3, (1...200).contains(first) {
            (written, year) = (.roc, first + 1911)
        } else if parts[0].count == 4, text.contains("/") || text.contains(".") {
            (written, year) = (.slashes, first)
        } else {
            return nil
        }
        guard day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        return (written, String(format: "%04d-%02d-%02d", year, month, day))
    }
}
