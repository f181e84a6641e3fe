import Foundation
import CaseStore
import CaseModel

/// git's answer to a push (receive-pack over smart HTTP), read for the refusals git makes
/// itself before any hook runs: its object check (`receive.fsckObjects`, with git's own
/// fsck ids) and the size limit (`receive.maxInputSize`). Both end in `unpack` failing;
/// the pusher then sees `unpacker error` and git's words. The hub adds, on the side band
/// git's messages travel on, a line that names the rule in both languages, so that every
/// refusal reaches the pusher with a rule id (docs/rules.md, HUB-…). Anything else passes
/// unchanged, the report's own lines included: sync reads them (a lost race).
enum PushAnswer {
    /// The most of an answer read: a report of one ref is a few hundred bytes.
    static let limit = 1 << 20

    /// The refusal git made itself, if the answer is one.
    enum Refusal: Equatable {
        /// git's object check failed; `detail` is git's message (its fsck id and object).
        case objectCheck(detail: String)
        /// The pack was over `receive.maxInputSize`.
        case tooLarge
    }

    /// Whether the request asked for the side band (`side-band-64k` or `side-band` among the
    /// capabilities of its first command line): only then can a message be added.
    static func requestsSideBand(_ request: Data) -> Bool {
        guard let first = packets(request.prefix(65_536)).first else { return false }
        let text = String(decoding: first.payload, as: UTF8.self)
        guard let capabilities = text.split(separator: "\0", maxSplits: 1).dropFirst().first else { return false }
        return capabilities.split(separator: " ").contains { $0 == "side-band-64k" || $0 == "side-band" }
    }

    /// The answer with the hub's line added before git's own, when git refused the push itself.
    static func annotated(_ answer: Data) -> Data {
        guard answer.count <= limit, let refusal = refusal(in: answer) else { return answer }
        let message: Message
        switch refusal {
        case .objectCheck(let detail):
            message = Message(.hubObjectCheck, ["detail": detail])
        case .tooLarge:
            message = Message(.hubPackTooLarge)
        }
        let text = message.render(.en) + "\n" + message.render(.zhTW) + "\n"
        return sideBand(2, Data(text.utf8)) + answer
    }

    /// What git refused, read from the side band: a report whose `unpack` failed, and
    /// git's messages on band 2.
    static func refusal(in answer: Data) -> Refusal? {
        var report = Data()
        var messages = ""
        for packet in packets(answer) {
            guard let band = packet.payload.first else { continue }
            let body = packet.payload.dropFirst()
            switch band {
            case 1: report.append(contentsOf: body)
            case 2, 3: messages += String(decoding: body, as: UTF8.self)
            default: return nil  // not a side band: nothing is added
            }
        }
        let unpack = packets(report).map { String(decoding: $0.payload, as: UTF8.self) }.first { $0.hasPrefix("unpack ") }
        guard let unpack, !unpack.hasPrefix("unpack ok") else { return nil }
        if messages.contains("exceeds maximum allowed size") { return .tooLarge }
        // git's line that names the failed check: `error: object <id>: <fsckId>: <words>`.
        let lines = messages.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        let detail = lines.first { $0.contains("error: object ") } ?? lines.first { $0.contains("fsck") } ?? unpack
        return .objectCheck(detail: String(detail.replacingOccurrences(of: "error: ", with: "").prefix(300))
            .trimmingCharacters(in: .whitespaces))
    }

    /// The pkt-lines of `data` (flush and delimiter packets skipped), up to the first that
    /// does not read.
    static func packets(_ data: Data) -> [(length: Int, payload: Data)] {
        var found: [(Int, Data)] = []
        var index = data.startIndex
        while data.endIndex - index >= 4 {
            guard let length = Int(String(decoding: data[index..<index + 4], as: UTF8.self), radix: 16) else { break }
            if length < 4 {
                index += 4
                continue
            }
            guard data.endIndex - index >= length else { break }
            found.append((length, Data(data[index + 4..<index + length])))
            index += length
        }
        return found
    }

    /// One side-band packet (or several, for a long message).
    static func sideBand(_ band: UInt8, _ payload: Data) -> Data {
        var out = Data()
        var rest = payload[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(65_515)
            rest = rest.dropFirst(chunk.count)
            out.append(Data(String(format: "%04x", chunk.count + 5).utf8))
            out.append(band)
            out.append(contentsOf: chunk)
        }
        return out
    }
}
