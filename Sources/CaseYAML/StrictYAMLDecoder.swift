import Foundation
import CaseModel

/// Decodes case documents strictly: one document, no anchors, aliases, tags or merge
/// keys, no duplicate or unknown keys, at most 256 KiB of UTF-8, typed scalars (a
/// `String` field takes the text as written, so `NO` stays `NO` and `1.10` stays `1.10`;
/// integers and booleans must be plain; dates must exist). Every error names the file
/// and line and says how to fix it.
public enum StrictYAML {
    /// Decodes `data` (the contents of `file`, named in errors) into `T`.
    /// With `rootKeys`, the top-level mapping may hold only those of the type's keys (one
    /// type serving several kinds of document names only its kind's keys as allowed).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String, rootKeys: Set<String>? = nil) throws -> T {
        let root: YAMLNode
        do {
            root = try StrictYAMLReader.read(data)
        } catch let failure as StrictYAMLReader.Failure {
            throw CaseError(failure.id, failure.arguments.merging(["file": file]) { a, _ in a })
        }
        let context = DecodingContext(file: file, rootKeys: rootKeys)
        let value: T
        do {
            value = try T(from: NodeDecoder(node: root, place: .root, context: context))
        } catch let failure as StrictYAMLReader.Failure {
            throw CaseError(failure.id, failure.arguments.merging(["file": file]) { a, _ in a })
        }
        try context.checkUnknownKeys()
        return value
    }

    /// Reads a file from disk and decodes it; an unreadable file is a `fileUnreadable` error.
    public static func decode<T: Decodable>(_ type: T.Type, contentsOf path: String, rootKeys: Set<String>? = nil) throws -> T {
        try decode(type, from: try readInputFile(path, limit: StrictYAMLReader.maximumBytes), file: path, rootKeys: rootKeys)
    }
}

/// Shared state of one decode: which keys each mapping had and which the types asked for.
final class DecodingContext {
    let file: String
    private var mappings: [Mapping] = []

    /// A mapping's pairs, which of them a type asked for, and the keys it asked for that
    /// the mapping does not have (named in the message of an unknown key).
    private struct Mapping {
        let pairs: [(key: String, keyLine: Int, value: YAMLNode)]
        var asked: [Bool]
        var absent: [String] = []
    }

    /// The keys the top-level mapping may hold, when narrower than its type's.
    let rootKeys: Set<String>?

    init(file: String, rootKeys: Set<String>? = nil) {
        self.file = file
        self.rootKeys = rootKeys
    }

    func register(_ pairs: [(key: String, keyLine: Int, value: YAMLNode)]) -> Int {
        mappings.append(Mapping(pairs: pairs, asked: Array(repeating: false, count: pairs.count)))
        return mappings.count - 1
    }

    /// The value of `key` in mapping `index`, which counts as asked for either way.
    func value(_ key: String, in index: Int) -> YAMLNode? {
        if let position = mappings[index].pairs.firstIndex(where: { $0.key == key }) {
            mappings[index].asked[position] = true
            return mappings[index].pairs[position].value
        }
        if !mappings[index].absent.contains(key) { mappings[index].absent.append(key) }
        return nil
    }

    /// Every key a type did not ask for is unknown: a typo or a field of another version.
    func checkUnknownKeys() throws {
        for (index, mapping) in mappings.enumerated() {
            // The first mapping registered is the document's top level.
            let only = index == 0 ? rootKeys : nil
            for (position, pair) in mapping.pairs.enumerated() where !mapping.asked[position] || only.map({ !$0.contains(pair.key) }) == true {
                let asked = (mapping.pairs.indices.filter { mapping.asked[$0] }.map { mapping.pairs[$0].key } + mapping.absent)
                    .filter { only?.contains($0) ?? true }
                let allowed = Set(asked).sorted().map { "`\($0)`" }.joined(separator: ", ")
                if let closest = KeySpelling.closest(to: pair.key, among: Set(asked)) {
                    throw CaseError(.yamlUnknownKeyClosest, ["file": file, "line": "\(pair.keyLine)", "key": pair.key,
                                                             "closest": closest, "allowed": allowed])
                }
                throw CaseError(.yamlUnknownKey, ["file": file, "line": "\(pair.keyLine)", "key": pair.key,
                                                  "allowed": allowed.isEmpty ? "—" : allowed])
            }
        }
    }
}

/// A coding path made only when something asks for it (an error, a nested container):
/// the path of the container and the key or index below it.
private struct CodingPlace {
    let base: [any CodingKey]
    let key: (any CodingKey)?
    static let root = CodingPlace(base: [], key: nil)
    var path: [any CodingKey] { key.map { base + [$0] } ?? base }
}

private func fail(_ id: MessageID, _ line: Int, _ arguments: [String: String]) -> StrictYAMLReader.Failure {
    StrictYAMLReader.Failure(id: id, arguments: arguments.merging(["line": "\(line)"]) { a, _ in a })
}

private func fieldName(_ path: [any CodingKey]) -> String {
    let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    return names.isEmpty ? "(document)" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
}

private func isNull(_ node: YAMLNode) -> Bool {
    if case .scalar(let text, let plain, _) = node, plain {
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }
    return false
}

/// Decodes `T` from `node`, turning the value errors of `init(from:)` into located ones.
private func decodeValue<T: Decodable>(_ type: T.Type, _ node: YAMLNode, _ place: CodingPlace, _ context: DecodingContext) throws -> T {
    do {
        return try T(from: NodeDecoder(node: node, place: place, context: context))
    } catch DecodingError.dataCorrupted(let info) {
        let field = fieldName(place.path)
        let text: String
        if case .scalar(let value, _, _) = node { text = value } else { text = "…" }
        let description = info.debugDescription
        if description.hasPrefix("date:") {
            if let (written, iso) = LocalDate.reading(text) {
                throw fail(written == .roc ? .yamlROCDate : .yamlSlashDate, node.line, ["field": field, "value": text, "iso": iso])
            }
            throw fail(.yamlBadDate, node.line, ["field": field, "value": text])
        }
        if description.hasPrefix("timestamp:") {
            throw fail(.yamlBadTimestamp, node.line, ["field": field, "value": text])
        }
        if let choices = T.self as? any (CaseIterable & RawRepresentable).Type {
            throw fail(.yamlBadValue, node.line, ["field": field, "value": text, "allowed": allowedValues(choices)])
        }
        // Swift's own description names types and initializers: not for people.
        throw fail(.yamlBadValueNoChoices, node.line, ["field": field, "value": text])
    }
}

private func allowedValues<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> String {
    E.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
}

private struct NodeDecoder: Decoder {
    let node: YAMLNode
    let place: CodingPlace
    let context: DecodingContext
    var codingPath: [any CodingKey] { place.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let pairs, let line) = node else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "a mapping (key: value lines)"])
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(pairs: pairs, line: line, index: context.register(pairs),
                                                          codingPath: codingPath, context: context))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items, _) = node else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "a list (lines starting with -)"])
        }
        return UnkeyedContainer(items: items, codingPath: codingPath, context: context)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(node: node, place: place, context: context)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let pairs: [(key: String, keyLine: Int, value: YAMLNode)]
    let line: Int
    let index: Int
    let codingPath: [any CodingKey]
    let context: DecodingContext

    var allKeys: [Key] { pairs.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool {
        context.value(key.stringValue, in: index) != nil
    }

    private func child(_ key: Key) throws -> YAMLNode {
        guard let node = context.value(key.stringValue, in: index) else {
            // A key written nearly so is most likely this one misspelled: name it.
            if let near = pairs.first(where: { KeySpelling.isNear($0.key, key.stringValue) }) {
                throw fail(.yamlMisspelledKey, near.keyLine, ["key": fieldName(codingPath + [key]), "found": near.key])
            }
            throw fail(.yamlMissingKey, line, ["key": fieldName(codingPath + [key])])
        }
        return node
    }

    private func place(_ key: Key) -> CodingPlace { CodingPlace(base: codingPath, key: key) }

    func decodeNil(forKey key: Key) throws -> Bool {
        context.value(key.stringValue, in: index).map(isNull) ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(type, try child(key), place(key), context)
    }

    // The common scalars without a decoder in between.
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try SingleValue(node: try child(key), place: place(key), context: context).decode(type)
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try SingleValue(node: try child(key), place: place(key), context: context).decode(type)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try SingleValue(node: try child(key), place: place(key), context: context).decode(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = context.value(key.stringValue, in: index), !isNull(node) else { return nil }
        return try decodeValue(type, node, place(key), context)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let node = context.value(key.stringValue, in: index), !isNull(node) else { return nil }
        return try SingleValue(node: node, place: place(key), context: context).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: try child(key), place: place(key), context: context).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: try child(key), place: place(key), context: context).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: .mapping([], line: line), place: CodingPlace(base: codingPath, key: nil), context: context)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: try child(key), place: place(key), context: context)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [YAMLNode]
    let codingPath: [any CodingKey]
    let context: DecodingContext
    var currentIndex = 0

    init(items: [YAMLNode], codingPath: [any CodingKey], context: DecodingContext) {
        self.items = items
        self.codingPath = codingPath
        self.context = context
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func nextNode() throws -> (YAMLNode, CodingPlace) {
        guard !isAtEnd else {
            throw fail(.yamlMissingKey, items.last?.line ?? 1, ["key": fieldName(codingPath + [IndexKey(currentIndex)])])
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], CodingPlace(base: codingPath, key: IndexKey(currentIndex)))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, isNull(items[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, place) = try nextNode()
        return try decodeValue(type, node, place, context)
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let (node, place) = try nextNode()
        return try SingleValue(node: node, place: place, context: context).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, place) = try nextNode()
        return try NodeDecoder(node: node, place: place, context: context).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, place) = try nextNode()
        return try NodeDecoder(node: node, place: place, context: context).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, place) = try nextNode()
        return NodeDecoder(node: node, place: place, context: context)
    }
}

private struct SingleValue: SingleValueDecodingContainer {
    let node: YAMLNode
    let place: CodingPlace
    let context: DecodingContext
    var codingPath: [any CodingKey] { place.path }

    func decodeNil() -> Bool { isNull(node) }

    private func scalar(_ expected: String) throws -> (String, Bool) {
        guard case .scalar(let text, let plain, _) = node else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": expected])
        }
        return (text, plain)
    }

    func decode(_ type: String.Type) throws -> String {
        let (text, plain) = try scalar("text")
        if plain && isNull(node) {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "text (write \"\" in quotes for an empty text)"])
        }
        return text
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        let (text, plain) = try scalar("true or false")
        guard plain, text == "true" || text == "false" else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "true or false"])
        }
        return text == "true"
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let (text, plain) = try scalar("a whole number")
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard plain, !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits.count == 1 || digits.first != "0",
              let value = T(text) else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "a whole number"])
        }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode(_ type: Double.Type) throws -> Double {
        let (text, plain) = try scalar("a number")
        guard plain, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let value = Double(text) else {
            throw fail(.yamlWrongType, node.line, ["field": fieldName(codingPath), "expected": "a number"])
        }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type, node, place, context)
    }
}
