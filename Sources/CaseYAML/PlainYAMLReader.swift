/// Reads the YAML that webjcase writes (Yams' block style: `key: value` mappings indented
/// by two, sequences of `- ` items, plain and single-quoted scalars on one line, `[]` and
/// `{}`) without libyaml, into the same nodes, lines included, as `StrictYAMLReader`'s
/// event walk builds from libyaml. It accepts much less than YAML: a line it is not sure
/// of (a comment, a tab, a double-quoted or continued scalar, a complex, quoted, merge
/// or repeated key, an empty value, a document marker, a character libyaml would refuse or
/// read as a line break) makes it answer nil, and the caller asks libyaml, which
/// judges the document and words any error. What it does accept must read exactly as
/// libyaml reads it: `PlainYAMLReaderTests` compares the two on every document the
/// writers produce and on many thousands of mutations of them, and the yaml fuzz target
/// does the same on every input.
struct PlainYAMLReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The current line: its first byte, the column where its content starts (after the
    /// indentation, or after a `- ` that opened a compact mapping), and its end (the
    /// newline, or the end of the input).
    private var lineStart = 0
    private var column = 0
    private var lineEnd = 0
    private var line = 1
    private var atEnd = false

    /// The document's root node, or nil when the input is outside what this reader knows.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
        guard !bytes.isEmpty else { return nil }
        var reader = PlainYAMLReader(bytes: bytes)
        guard reader.startLine(at: 0), !reader.atEnd, reader.column == 0 else { return nil }
        guard let root = reader.mapping(depth: 1), reader.atEnd else { return nil }
        return root
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: Lines

    /// Takes the line that starts at `start`; false when it is one this reader does not
    /// take (blank, a comment, a tab or carriage return, a document marker).
    private mutating func startLine(at start: Int) -> Bool {
        lineStart = start
        guard start < bytes.count else {
            atEnd = true
            return true
        }
        var index = start
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        column = index - start
        var end = index
        while end < bytes.count, bytes[end] != 0x0A {
            let byte = bytes[end]
            // Tabs, carriage returns and other control characters: libyaml's to judge.
            if byte < 0x20 || byte == 0x7F { return false }
            end += 1
        }
        lineEnd = end
        guard end > index, bytes[index] != 0x23 else { return false }  // blank, or a comment
        if column == 0, end - index >= 3, bytes[index] == bytes[index + 1], bytes[index] == bytes[index + 2],
           bytes[index] == 0x2D || bytes[index] == 0x2E {
            return false  // `---` or `...`
        }
        return true
    }

    /// Moves to the next line; false when it is not one this reader takes.
    private mutating func nextLine() -> Bool {
        guard lineEnd < bytes.count else {
            atEnd = true
            return true
        }
        line += 1
        return startLine(at: lineEnd + 1)
    }

    private var content: Int { lineStart + column }

    /// Whether the current line's content is a sequence entry (`- ` and more).
    private var isEntry: Bool {
        content + 1 < lineEnd && bytes[content] == 0x2D && bytes[content + 1] == 0x20
    }

    // MARK: Collections

    /// A block mapping whose keys start at the current line's column.
    private mutating func mapping(depth: Int) -> YAMLNode? {
        guard depth <= StrictYAMLReader.maximumDepth else { return nil }
        let indent = column
        let startLine = line
        var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
        while !atEnd, column == indent {
            guard !isEntry, let colon = keyEnd(from: content) else { return nil }
            guard let key = text(content, colon), !(colon - content == 2 && bytes[content] == 0x3C && bytes[content + 1] == 0x3C),
                  !pairs.contains(where: { $0.key == key }) else { return nil }
            let keyLine = line
            var valueStart = colon + 1
            while valueStart < lineEnd, bytes[valueStart] == 0x20 { valueStart += 1 }
            let value: YAMLNode
            if valueStart == lineEnd {
                // The value is the block on the lines below.
                guard nextLine(), !atEnd else { return nil }
                if column > indent {
                    guard let nested = isEntry ? sequence(depth: depth + 1) : mapping(depth: depth + 1) else { return nil }
                    value = nested
                } else if column == indent, isEntry {
                    guard let nested = sequence(depth: depth + 1) else { return nil }
                    value = nested
                } else {
                    return nil  // an empty value: libyaml's null
                }
            } else {
                guard let scalar = inline(from: valueStart, depth: depth + 1), nextLine() else { return nil }
                value = scalar
                if !atEnd, column > indent { return nil }  // a continued scalar
            }
            pairs.append((key, keyLine, value))
            if !atEnd, column > indent { return nil }
        }
        return .mapping(pairs, line: startLine)
    }

    /// A block sequence whose `- ` entries start at the current line's column.
    private mutating func sequence(depth: Int) -> YAMLNode? {
        guard depth <= StrictYAMLReader.maximumDepth else { return nil }
        let indent = column
        let startLine = line
        var items: [YAMLNode] = []
        while !atEnd, column == indent, isEntry {
            let itemStart = content + 2
            guard itemStart < lineEnd, bytes[itemStart] != 0x20 else { return nil }
            if keyEnd(from: itemStart) != nil {
                // A compact mapping: its keys line up after the `- `.
                column += 2
                guard let item = mapping(depth: depth + 1) else { return nil }
                items.append(item)
            } else {
                guard let item = inline(from: itemStart, depth: depth + 1), nextLine() else { return nil }
                items.append(item)
                if !atEnd, column > indent { return nil }
            }
        }
        if !atEnd, column > indent { return nil }
        return .sequence(items, line: startLine)
    }

    // MARK: Scalars

    /// Where a key that starts at `start` ends: at the first `:` followed by a space or the
    /// end of the line. nil when the line holds no key, or one this reader does not take.
    private func keyEnd(from start: Int) -> Int? {
        guard isPlainStart(start) else { return nil }
        var index = start
        // libyaml gives up on a key whose `:` comes more than 1,024 characters after it.
        while index < lineEnd, index - start < 512 {
            let byte = bytes[index]
            if byte == 0x3A, index + 1 == lineEnd || bytes[index + 1] == 0x20 {
                // `key :` would be a key with a trailing space, which libyaml trims.
                return bytes[index - 1] == 0x20 ? nil : index
            }
            if byte == 0x23, bytes[index - 1] == 0x20 { return nil }  // a comment
            index += 1
        }
        return nil
    }

    /// A scalar, `[]` or `{}` from `start` to the end of the line.
    private func inline(from start: Int, depth: Int) -> YAMLNode? {
        guard depth <= StrictYAMLReader.maximumDepth else { return nil }
        let first = bytes[start]
        if lineEnd - start == 2, first == 0x5B || first == 0x7B {
            if first == 0x5B, bytes[start + 1] == 0x5D { return .sequence([], line: line) }
            if first == 0x7B, bytes[start + 1] == 0x7D { return .mapping([], line: line) }
            return nil
        }
        if first == 0x27 { return singleQuoted(from: start) }
        guard isPlainStart(start), bytes[lineEnd - 1] != 0x20, bytes[lineEnd - 1] != 0x3A else { return nil }
        var index = start + 1
        while index < lineEnd {
            let byte = bytes[index]
            if byte == 0x3A, bytes[index + 1] == 0x20 { return nil }  // a key: not a scalar
            if byte == 0x23, bytes[index - 1] == 0x20 { return nil }  // a comment
            index += 1
        }
        guard let value = text(start, lineEnd) else { return nil }
        return .scalar(value, plain: true, line: line)
    }

    /// `'…'` on one line, `''` standing for `'`, nothing after the closing quote.
    private func singleQuoted(from start: Int) -> YAMLNode? {
        var value: [UInt8] = []
        var index = start + 1
        while index < lineEnd {
            if bytes[index] == 0x27 {
                if index + 1 < lineEnd, bytes[index + 1] == 0x27 {
                    value.append(0x27)
                    index += 2
                    continue
                }
                guard index + 1 == lineEnd, isPrintable(start, index) else { return nil }
                return .scalar(String(decoding: value, as: UTF8.self), plain: false, line: line)
            }
            value.append(bytes[index])
            index += 1
        }
        return nil  // continued on the next line
    }

    /// Whether a plain scalar may start at `index`: not a space, and not one of YAML's
    /// indicators (`-?:,[]{}#&*!|>'"%@` and the backquote).
    private func isPlainStart(_ index: Int) -> Bool {
        switch bytes[index] {
        case 0x20, 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22,
             0x25, 0x40, 0x60:
            false
        default:
            true
        }
    }

    /// The text of bytes `start..<end`, when every character in it is one libyaml takes
    /// as printable and none is one it reads as a line break (NEL, U+2028, U+2029).
    private func text(_ start: Int, _ end: Int) -> String? {
        guard isPrintable(start, end) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private func isPrintable(_ start: Int, _ end: Int) -> Bool {
        var ascii = true
        for index in start..<end where bytes[index] >= 0x80 {
            ascii = false
            break
        }
        if ascii { return true }
        // The input is valid UTF-8 (checked before either reader runs).
        for scalar in String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: continue
            default: return false
            }
        }
        return true
    }
}
