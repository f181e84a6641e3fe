import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaseModel
import CaseYAML
import CaseRules
import CaseSigning

/// `webjcase calendar import`: the DGPA's government office calendar (中華民國政府行政機關
/// 辦公日曆表, data.gov.tw dataset 14718) as `calendar/<year>.yaml`.
///
/// The published file is one CSV per year with the header `西元日期,星期,是否放假,備註`:
/// every day of the year as `YYYYMMDD`, its weekday in Chinese (一 … 六, 日), `0` for a
/// working day or `2` for a day off, and a note (the holiday's name, 補行上班, or empty).
/// Years come in Big5 (CP950), UTF-8, or UTF-8 with a byte-order mark. A weekday that is a
/// day off becomes a rest day (named by its note, in English by `englishName`), a Saturday
/// or Sunday that is a working day a make-up workday (a working day under APA art. 48, as
/// the Ministry of Justice reads it); everything else follows from the weekday.
public enum CalendarImport {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with byte-order mark"
        case big5 = "Big5 (CP950)"
    }

    /// What an import read.
    public struct Parsed: Sendable {
        public var calendar: CalendarFile
        public let encoding: Encoding
        /// Days listed (365 or 366).
        public let rows: Int
    }

    /// What `run` wrote.
    public struct Outcome: Sendable {
        public let parsed: Parsed
        public let path: String
        /// When an existing calendar was replaced: its `source.status` and how many closures were kept.
        public let replaced: (status: String, closures: Int)?
    }

    public static let header = ["西元日期", "星期", "是否放假", "備註"]
    public static let publisher = "行政院人事行政總處"

    /// Reads `csvPath` and writes the calendar of `year` to `out`. An existing file is
    /// replaced only with `replace`, and then its closures (entered by hand) are kept.
    public static func run(_ csvPath: String, year: Int, out: String, replace: Bool) throws -> Outcome {
        let data = try readInputFile(csvPath, limit: 1 << 20)
        var parsed = try parse(data, year: year, file: csvPath)
        var replaced: (String, Int)?
        if FileManager.default.fileExists(atPath: out) {
            guard replace else { throw CaseError(.calendarImportExists, ["file": out]) }
            if let old = try? StrictYAML.decode(CalendarFile.self, from: try readInputFile(out, limit: 1 << 20), file: out),
               old.year == year {
                parsed.calendar.closures = old.closures
                replaced = (old.source.status, old.closures.count)
            } else {
                replaced = ("unreadable", 0)
            }
        }
        let directory = (out as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try yaml(parsed.calendar).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CaseError(.fileWriteFailed, ["file": out, "reason": error.localizedDescription])
        }
        return Outcome(parsed: parsed, path: out, replaced: replaced)
    }

    /// The calendar of `year` from the bytes of a DGPA CSV file named `file` (for messages).
    public static func parse(_ data: Data, year: Int, file: String) throws -> Parsed {
        let (text, encoding) = try decode(data, file: file)
        // "\r\n" is one Character in Swift: split on each line end, whichever the file uses.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        let head = lines.first.map(fields) ?? []
        guard head == header else {
            throw CaseError(.calendarImportHeader, ["file": file, "found": lines.first ?? ""])
        }
        var seen: [CalendarDate: Int] = [:]
        var restDays: [CalendarFile.Day] = []
        var workdays: [CalendarFile.Day] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = offset + 1
            func problem(_ id: MessageID, _ arguments: [String: String], parts: [String: Message] = [:]) -> CaseError {
                CaseError(Message(id, arguments.merging(["file": file, "line": "\(number)"]) { a, _ in a }, parts: parts), status: .badInput)
            }
            let row = fields(line)
            guard row.count == 4 else { throw problem(.calendarImportFields, ["count": "\(row.count)"]) }
            let digits = row[0]
            guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let date = CalendarDate(String(digits.prefix(4) + "-" + digits.dropFirst(4).prefix(2) + "-" + digits.suffix(2))) else {
                throw problem(.calendarImportDate, ["found": digits, "year": "\(year)"])
            }
            guard date.year == year else { throw problem(.calendarImportYear, ["date": date.description, "year": "\(year)"]) }
            if let first = seen[date] {
                throw problem(.calendarImportDuplicate, ["date": date.description, "first": "\(first)"])
            }
            seen[date] = number
            guard row[2] == "0" || row[2] == "2" else { throw problem(.calendarImportValue, ["found": row[2]]) }
            let weekday = Deadlines.weekday(date)
            guard weekdays[row[1]] == weekday else {
                throw problem(.calendarImportWeekday, ["date": date.description, "found": row[1]],
                              parts: ["expected": PeriodEnd.weekdayName(date)])
            }
            let note = row[3]
            let weekend = weekday == 1 || weekday == 7
            if row[2] == "2" && !weekend {
                restDays.append(CalendarFile.Day(date: date, name: note.isEmpty ? "放假日" : note, nameEn: englishName(note)))
            } else if row[2] == "0" && weekend {
                workdays.append(CalendarFile.Day(date: date, name: note.isEmpty ? "補行上班" : note, nameEn: "Make-up workday"))
            }
        }
        let days = CalendarDate.daysIn(month: 2, year: year) == 29 ? 366 : 365
        guard seen.count >= 365 else {
            throw CaseError(.calendarImportCount, ["file": file, "rows": "\(seen.count)", "year": "\(year)", "expected": "\(days)"])
        }
        var day = CalendarDate(year: year, month: 1, day: 1)!
        while day.year == year {
            guard seen[day] != nil else {
                throw CaseError(.calendarImportMissingDay, ["file": file, "date": day.description, "year": "\(year)"])
            }
            day = Deadlines.adding(1, to: day)
        }
        let name = (file as NSString).lastPathComponent
        let source = CalendarFile.Source(
            title: "\(year - 1911)年中華民國政府行政機關辦公日曆表", publisher: publisher, status: "official",
            note: "Imported with `webjcase calendar import` from \(name) (\(encoding.rawValue), \(Digest.prefixed(data))): "
                + "the DGPA office calendar of \(year) as published on the government open data platform (data.gov.tw, dataset 14718). "
                + "Typhoon and other closures are not part of it and are added by hand.")
        return Parsed(calendar: CalendarFile(year: year, source: source, restDays: restDays, workdays: workdays, closures: []),
                      encoding: encoding, rows: seen.count)
    }

    /// The calendar as the YAML of `calendar/<year>.yaml` (§5.3).
    public static func yaml(_ calendar: CalendarFile) throws -> Data {
        Data("# Saturdays and Sundays are rest days unless listed under workdays.\n".utf8) + (try DocumentWriter.yaml(calendar))
    }

    /// Detects the encoding: a UTF-8 byte-order mark, else valid UTF-8, else Big5 (CP950)
    /// through the C library's iconv.
    public static func decode(_ data: Data, file: String) throws -> (String, Encoding) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(validating: data.dropFirst(3), as: UTF8.self) {
            return (text, .utf8BOM)
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        switch big5(data) {
        case .success(let text):
            return (text, .big5)
        case .failure(let detail):
            throw CaseError(.calendarImportEncoding, ["file": file, "detail": detail.text])
        }
    }

    struct ConversionProblem: Error { let text: String }

    /// Big5 (CP950) to UTF-8 with iconv: glibc knows both names.
    static func big5(_ data: Data) -> Result<String, ConversionProblem> {
        var problem = " (no Big5 converter in this system's C library)"
        for name in ["CP950", "BIG5"] {
            let converter = iconv_open("UTF-8", name)
            guard converter != iconv_t(bitPattern: -1) else { continue }
            defer { iconv_close(converter) }
            var input = [UInt8](data)
            var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
            var inputLeft = input.count
            var outputLeft = output.count
            let status = input.withUnsafeMutableBytes { inBuffer in
                output.withUnsafeMutableBytes { outBuffer in
                    var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                    return iconv(converter, &inPointer, &inputLeft, &outPointer, &outputLeft)
                }
            }
            if status == -1 || inputLeft != 0 {
                problem = " (byte \(input.count - inputLeft) is not \(name))"
                continue
            }
            if let text = String(validating: output[0..<(output.count - outputLeft)], as: UTF8.self) { return .success(text) }
        }
        return .failure(ConversionProblem(text: problem))
    }

    /// One CSV line's fields: commas separate, double quotes may enclose a field (`""` is a
    /// quote), surrounding spaces are dropped.
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty {
                current = ""
                quoted = true
            } else if character == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// The weekday column: 日 (or 天) is Sunday (1) … 六 is Saturday (7).
    static let weekdays: [String: Int] = ["日": 1, "天": 1, "一": 2, "二": 3, "三": 4, "四": 5, "五": 6, "六": 7]

    /// English names of the national holidays and other days off by the words of their
    /// Chinese note (the most specific first); an observed day (補假) is "(observed)"; a note
    /// not in the table is kept in the English name: "Day off (…)".
    static let englishNames: [(words: [String], name: String)] = [
        (["除夕前一日", "小年夜"], "Day before Lunar New Year's Eve"),
        (["除夕"], "Lunar New Year's Eve"),
        (["春節"], "Lunar New Year"),
        (["開國紀念日", "元旦"], "Founding Day of the Republic of China"),
        (["和平紀念日"], "Peace Memorial Day"),
        (["兒童節及民族掃墓節", "兒童節暨民族掃墓節"], "Children's Day and Tomb Sweeping Day"),
        (["兒童節"], "Children's Day"),
        (["民族掃墓節", "清明"], "Tomb Sweeping Day"),
        (["勞動節"], "Labour Day"),
        (["端午"], "Dragon Boat Festival"),
        (["中秋"], "Mid-Autumn Festival"),
        (["孔子誕辰", "教師節"], "Confucius' Birthday (Teachers' Day)"),
        (["國慶"], "National Day"),
        (["古寧頭"], "Taiwan Retrocession and Guningtou Victory Memorial Day"),
        (["光復"], "Taiwan Retrocession Day"),
        (["行憲紀念日"], "Constitution Day"),
        (["原住民族"], "Indigenous Peoples' Day"),
        (["投票"], "Voting day"),
        (["調整放假"], "Adjusted day off"),
    ]

    public static func englishName(_ note: String) -> String {
        let observed = note.contains("補假")
        guard let entry = englishNames.first(where: { $0.words.contains { note.contains($0) } }) else {
            if observed && note.replacingOccurrences(of: "補假", with: "").trimmingCharacters(in: .whitespaces).isEmpty {
                return "Holiday (observed)"
            }
            return note.isEmpty ? "Day off" : "Day off (\(note))"
        }
        return observed ? entry.name + " (observed)" : entry.name
    }
}
