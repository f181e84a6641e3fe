/// The languages every message a person reads is written in.
public enum Language: String, Sendable, CaseIterable {
    case en
    case zhTW = "zh-TW"

    /// Parses `--lang` values: `en`, `zh-TW` (also `zh_TW`, `zh`).
    public init?(option: String) {
        switch option.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "en", "en-us", "en-gb": self = .en
        case "zh-tw", "zh", "zh-hant", "zh-hant-tw": self = .zhTW
        default: return nil
        }
    }

    /// The language POSIX locale variables ask for: `LC_ALL`, then `LC_MESSAGES`, then `LANG`.
    /// Any Chinese locale gets Traditional Chinese, everything else English.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zhTW : .en
        }
        return .en
    }
}
