import Foundation
import Yams
import CaseModel

/// Writes the documents the tool produces (case files, steps, policies) as YAML that the
/// strict reader accepts: block style, keys in declaration order, UTF-8 text kept as is,
/// no anchors, no tags.
public enum DocumentWriter {
    public static func yaml<T: Encodable>(_ value: T) throws -> Data {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.width = -1
        encoder.options.indent = 2
        encoder.options.sortKeys = false
        encoder.options.redundancyAliasingStrategy = nil
        return Data(try encoder.encode(value).utf8)
    }
}
