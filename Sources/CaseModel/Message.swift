/// A message for a person: an entry of the catalogue plus the values of its placeholders.
///
/// Messages are rendered only at the edge (the command line, reports), so the same
/// finding can be shown in either language.
public struct Message: Sendable, Equatable, CustomStringConvertible {
    public let id: MessageID
    public let arguments: [String: String]
    /// Placeholders filled with other catalogue messages, rendered in the same language.
    public let parts: [String: Message]
    /// Placeholders filled with lists of messages, one `  - ` line each.
    public let lists: [String: [Message]]

    public init(_ id: MessageID, _ arguments: [String: String] = [:], parts: [String: Message] = [:], lists: [String: [Message]] = [:]) {
        self.id = id
        self.arguments = arguments
        self.parts = parts
        self.lists = lists
    }

    /// The text in `language` with `{name}` placeholders filled in.
    public func render(_ language: Language) -> String {
        let listed = lists.mapValues { $0.map { "  - " + $0.render(language) }.joined(separator: "\n") }
        return Catalogue.render(id, arguments.merging(parts.mapValues { $0.render(language) }) { a, _ in a }.merging(listed) { a, _ in a }, language)
    }

    public var description: String { render(.en) }
}

/// An error whose text comes from the catalogue and that knows the exit status it causes.
public struct CaseError: Error, Sendable, CustomStringConvertible {
    public let message: Message
    public let status: ExitStatus

    public init(_ id: MessageID, _ arguments: [String: String] = [:], status: ExitStatus = .badInput) {
        self.message = Message(id, arguments)
        self.status = status
    }

    public init(_ message: Message, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    public var description: String { message.render(.en) }
}

/// The exit codes of the command line (DESIGN §8), part of its contract.
public enum ExitStatus: Int32, Sendable {
    /// Success.
    case success = 0
    /// A rule is broken, locally or on the hub.
    case ruleBroken = 1
    /// Bad usage or unreadable input.
    case badInput = 2
    /// A remote could not be reached or refused the credentials.
    case unreachable = 3
    /// A conflict was set aside or the retry budget ran out.
    case conflict = 4
}
