internal import CYaml
import Foundation
import CaseModel

/// A YAML value as the strict reader builds it: scalars, mappings with text keys, and
/// sequences, each with its 1-based line. There are no anchors, aliases or tags here:
/// the reader refuses them while reading parser events, before any value exists.
package indirect enum YAMLNode: Sendable {
    case scalar(String, plain: Bool, line: Int)
    case mapping([(key: String, keyLine: Int, value: YAMLNode)], line: Int)
    case sequence([YAMLNode], line: Int)

    package var line: Int {
        switch self {
        case .scalar(_, _, let line), .mapping(_, let line), .sequence(_, let line): line
        }
    }
}

extension YAMLNode: Equatable {
    /// The same text, style, keys and lines, in the same order.
    package static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        switch (a, b) {
        case let (.scalar(x, xPlain, xLine), .scalar(y, yPlain, yLine)):
            // Bytes, not canonical equivalence: the two readers must give the same text.
            return xPlain == yPlain && xLine == yLine && x.utf8.elementsEqual(y.utf8)
        case let (.sequence(x, xLine), .sequence(y, yLine)):
            return xLine == yLine && x == y
        case let (.mapping(x, xLine), .mapping(y, yLine)):
            return xLine == yLine && x.count == y.count && zip(x, y).allSatisfy { p, q in
                p.key.utf8.elementsEqual(q.key.utf8) && p.keyLine == q.keyLine && p.value == q.value
            }
        default:
            return false
        }
    }
}

extension StrictYAML {
    /// Whether the two ways of reading `data` agree: when the reader of webjcase's own
    /// style takes it, libyaml reads the same nodes from it (for the fuzz target and the
    /// tests; `read` asks libyaml only when that reader declines).
    public static func readersAgree(_ data: Data) -> Bool {
        guard data.count <= StrictYAMLReader.maximumBytes, StrictYAMLReader.firstInvalidUTF8Line(data) == nil,
              let plain = data.withUnsafeBytes({ PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }) else { return true }
        return (try? StrictYAMLReader.readWithLibYAML(data)) == plain
    }
}

/// Reads one YAML document strictly, from libyaml's event stream.
///
/// Yams does not expose parser events, so this reads them from the libyaml copy Yams
/// builds (module `CYaml`). Refusing anchors and aliases here, not after composing, is
/// what keeps a 330-byte alias bomb from costing seconds and hundreds of MB, and keeps
/// an aliased key from being hashed exponentially by a composer's duplicate-key check.
package enum StrictYAMLReader {
    package static let maximumBytes = 256 * 1024
    static let maximumDepth = 32

    package struct Failure: Error {
        package let id: MessageID
        package let arguments: [String: String]
    }

    /// Parses `data` into a node tree or throws a `Failure` naming the line.
    package static func read(_ data: Data) throws -> YAMLNode {
        guard data.count <= maximumBytes else {
            throw Failure(id: .yamlTooLarge, arguments: ["size": "\(data.count)", "limit": "\(maximumBytes)"])
        }
        if let bad = firstInvalidUTF8Line(data) {
            throw Failure(id: .yamlInvalidUTF8, arguments: ["line": "\(bad)"])
        }
        if let node = data.withUnsafeBytes({ PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }) { return node }
        do {
            return try readWithLibYAML(data)
        } catch let failure as Failure where failure.id == .yamlSyntax
                    && ["cannot start any token", "tab"].contains(where: { failure.arguments["problem"]?.contains($0) == true }) {
            // YAML refuses tabs for indentation; libyaml's words for it do not say so.
            if let line = failure.arguments["line"].flatMap(Int.init), let tab = tabLine(data, near: line) {
                throw Failure(id: .yamlTab, arguments: ["line": "\(tab)"])
            }
            throw failure
        }
    }

    /// The line holding a tab at `line` or the line before it (libyaml may name either), if any.
    static func tabLine(_ data: Data, near line: Int) -> Int? {
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for candidate in [line, line - 1] where candidate >= 1 && candidate <= lines.count {
            if lines[candidate - 1].contains(UInt8(ascii: "\t")) { return candidate }
        }
        return nil
    }

    /// `read` through libyaml's events alone: what `PlainYAMLReader` must agree with.
    static func readWithLibYAML(_ data: Data) throws -> YAMLNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Failure(id: .yamlSyntax, arguments: ["line": "1", "problem": "parser could not start"])
        }
        defer { yaml_parser_delete(&parser) }
        return try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> YAMLNode in
            let bytes = buffer.bindMemory(to: UInt8.self)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var reader = EventReader(parser: &parser)
            return try reader.document()
        }
    }

    /// The line of the first byte sequence that is not UTF-8, or nil when all is well.
    static func firstInvalidUTF8Line(_ data: Data) -> Int? {
        if String(validating: data, as: UTF8.self) != nil { return nil }
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }
}

/// Walks libyaml events; one instance per document read.
private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    typealias Failure = StrictYAMLReader.Failure

    init(parser: UnsafeMutablePointer<yaml_parser_t>) {
        self.parser = parser
    }

    /// An event copied out of libyaml, so that nothing borrowed outlives `yaml_event_delete`.
    struct Event {
        var type: yaml_event_type_t
        var line: Int
        var anchor: String?
        var tag: String?
        var value: String = ""
        var plain = false
    }

    mutating func next() throws -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let p = parser.pointee
            let problem = p.problem.map { String(cString: $0) } ?? "unreadable"
            let context = p.context.map { String(cString: $0) + ", " } ?? ""
            throw Failure(id: .yamlSyntax, arguments: ["line": "\(Int(p.problem_mark.line) + 1)", "problem": context + problem])
        }
        defer { yaml_event_delete(&event) }
        var copy = Event(type: event.type, line: Int(event.start_mark.line) + 1)
        func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            copy.anchor = text(s.anchor)
            copy.tag = text(s.tag)
            if let value = s.value {
                copy.value = String(decoding: UnsafeBufferPointer(start: value, count: s.length), as: UTF8.self)
            }
            copy.plain = s.style == YAML_PLAIN_SCALAR_STYLE
        case YAML_SEQUENCE_START_EVENT:
            copy.anchor = text(event.data.sequence_start.anchor)
            copy.tag = text(event.data.sequence_start.tag)
        case YAML_MAPPING_START_EVENT:
            copy.anchor = text(event.data.mapping_start.anchor)
            copy.tag = text(event.data.mapping_start.tag)
        case YAML_ALIAS_EVENT:
            copy.anchor = text(event.data.alias.anchor)
        default:
            break
        }
        return copy
    }

    mutating func document() throws -> YAMLNode {
        var event = try next()
        guard event.type == YAML_STREAM_START_EVENT else { throw syntax(event, "no stream start") }
        event = try next()
        guard event.type == YAML_DOCUMENT_START_EVENT else {
            throw Failure(id: .yamlDocumentCount, arguments: [:])
        }
        let root = try node(try next(), depth: 1)
        event = try next()
        guard event.type == YAML_DOCUMENT_END_EVENT else { throw syntax(event, "expected the end of the document") }
        event = try next()
        guard event.type == YAML_STREAM_END_EVENT else {
            throw Failure(id: .yamlDocumentCount, arguments: [:])
        }
        return root
    }

    private func syntax(_ event: Event, _ problem: String) -> Failure {
        Failure(id: .yamlSyntax, arguments: ["line": "\(event.line)", "problem": problem])
    }

    /// Refuses what case documents never use: anchors, aliases and tags.
    private func check(_ event: Event) throws {
        if event.type == YAML_ALIAS_EVENT {
            throw Failure(id: .yamlAlias, arguments: ["line": "\(event.line)", "name": event.anchor ?? ""])
        }
        if let anchor = event.anchor {
            throw Failure(id: .yamlAnchor, arguments: ["line": "\(event.line)", "name": anchor])
        }
        if let tag = event.tag {
            throw Failure(id: .yamlTag, arguments: ["line": "\(event.line)", "tag": tag])
        }
    }

    mutating func node(_ event: Event, depth: Int) throws -> YAMLNode {
        try check(event)
        guard depth <= StrictYAMLReader.maximumDepth else {
            throw Failure(id: .yamlTooDeep, arguments: ["line": "\(event.line)", "limit": "\(StrictYAMLReader.maximumDepth)"])
        }
        switch event.type {
        case YAML_SCALAR_EVENT:
            return .scalar(event.value, plain: event.plain, line: event.line)
        case YAML_SEQUENCE_START_EVENT:
            var items: [YAMLNode] = []
            while true {
                let item = try next()
                if item.type == YAML_SEQUENCE_END_EVENT { break }
                items.append(try node(item, depth: depth + 1))
            }
            return .sequence(items, line: event.line)
        case YAML_MAPPING_START_EVENT:
            var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
            // Swift compares strings by canonical equivalence, so NFC and NFD spellings
            // of a key count as the same key. Mappings are small: compared one by one
            // until they are not.
            var seen = Set<String>()
            while true {
                let keyEvent = try next()
                if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                try check(keyEvent)
                guard keyEvent.type == YAML_SCALAR_EVENT else {
                    throw Failure(id: .yamlComplexKey, arguments: ["line": "\(keyEvent.line)"])
                }
                if keyEvent.plain && keyEvent.value == "<<" {
                    throw Failure(id: .yamlMergeKey, arguments: ["line": "\(keyEvent.line)"])
                }
                if pairs.count == 16 { seen = Set(pairs.map(\.key)) }
                let duplicate = pairs.count < 16 ? pairs.contains { $0.key == keyEvent.value } : !seen.insert(keyEvent.value).inserted
                guard !duplicate else {
                    throw Failure(id: .yamlDuplicateKey, arguments: ["line": "\(keyEvent.line)", "key": keyEvent.value])
                }
                let value = try node(try next(), depth: depth + 1)
                pairs.append((keyEvent.value, keyEvent.line, value))
            }
            return .mapping(pairs, line: event.line)
        default:
            throw syntax(event, "unexpected event")
        }
    }
}
