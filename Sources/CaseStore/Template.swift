import Foundation

/// The repository template and hook scripts built into the binary (scripts/embed-template).
public enum Template {
    /// The files of `repo-template/`, path → bytes.
    public static var repositoryFiles: [(path: String, data: Data)] {
        EmbeddedTemplate.repository.map { ($0.path, Data(base64Encoded: $0.base64) ?? Data()) }
    }

    /// The hook scripts of `hooks/`, name → bytes.
    public static var hookScripts: [(name: String, data: Data)] {
        EmbeddedTemplate.hooks.map { ($0.path, Data(base64Encoded: $0.base64) ?? Data()) }
    }

    /// A template file by path.
    public static func file(_ path: String) -> Data? {
        repositoryFiles.first { $0.path == path }?.data
    }

    /// A hook script with the absolute path of this binary as its default `WEBJCASE`.
    public static func hookScript(_ name: String, binary: String) -> Data? {
        guard let data = hookScripts.first(where: { $0.name == name })?.data else { return nil }
        var escaped = ""
        for character in binary {
            if "\\\"$`".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        let text = String(decoding: data, as: UTF8.self)
        // The installed hook names its binary outright: the pusher's environment must not
        // be able to choose what validates the push.
        return Data(text.replacingOccurrences(of: "WEBJCASE=\"${WEBJCASE:-webjcase}\"", with: "WEBJCASE=\"\(escaped)\"").utf8)
    }
}
