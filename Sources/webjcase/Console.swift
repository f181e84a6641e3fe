import ArgumentParser
import CaseModel
import CaseYAML
import CaseStore
import Foundation

/// Where people's messages and data go: messages to stderr, data to stdout (DESIGN §8).
enum Console {
    static func language(arguments: [String]) -> Language {
        if let index = arguments.firstIndex(of: "--lang"), index + 1 < arguments.count,
           let language = Language(option: arguments[index + 1]) {
            return language
        }
        if let option = arguments.first(where: { $0.hasPrefix("--lang=") }),
           let language = Language(option: String(option.dropFirst(7))) {
            return language
        }
        return Language.fromEnvironment(ProcessInfo.processInfo.environment)
    }

    static func say(_ message: Message, _ language: Language) {
        FileHandle.standardError.write(Data((message.render(language) + "\n").utf8))
    }

    static func data(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        data(String(decoding: try encoded(value), as: UTF8.self) + "\n")
    }

    /// Pretty, key-sorted JSON: what `--json` prints.
    static func encoded<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func findings(_ findings: [Finding], _ language: Language) {
        for finding in findings {
            FileHandle.standardError.write(Data((finding.render(language) + "\n").utf8))
        }
    }

    /// Prints `error` and returns the exit status it stands for.
    static func report(_ error: any Error, language: Language) -> Int32 {
        switch CaseRepository.explained(error) {
        case let error as CaseError:
            say(error.message, language)
            return error.status.rawValue
        case let violation as RuleViolation:
            findings(violation.findings, language)
            say(Message(.validateRefused, ["count": "\(violation.findings.refusals.count)"]), language)
            return ExitStatus.ruleBroken.rawValue
        case let exit as ExitCode:
            return exit.rawValue
        default:
            let code = Webjcase.exitCode(for: error)
            let text = Webjcase.fullMessage(for: error)
            if code == .success {
                if !text.isEmpty { Console.data(text + "\n") }
                return 0
            }
            if !text.isEmpty { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            // Usage errors are exit 2 (ArgumentParser's own default is 64).
            return ExitStatus.badInput.rawValue
        }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The case repository (its work tree or git directory).")
    var repo: String = "."

    @Option(help: "Language of messages: en or zh-TW (default: from LC_ALL, LC_MESSAGES, LANG).")
    var lang: String?

    var language: Language {
        lang.flatMap(Language.init(option:)) ?? Language.fromEnvironment(ProcessInfo.processInfo.environment)
    }

    func validate() throws {
        if let lang, Language(option: lang) == nil {
            throw CaseError(.optionInvalid, ["option": "--lang", "value": lang, "expected": "use en or zh-TW"])
        }
    }

    func open() throws -> CaseRepository {
        try CaseRepository(path: repo)
    }

    /// Runs `body` holding `repository`'s write lock, after cleaning up what a killed
    /// command left (and saying so). Another command holding it is waited for
    /// `WEBJCASE_LOCK_WAIT` seconds (default 30).
    func writing<T>(_ repository: CaseRepository, _ command: String, _ body: (WriteLock.Held) throws -> T) throws -> T {
        let wait = environment["WEBJCASE_LOCK_WAIT"].flatMap(TimeInterval.init) ?? 30
        return try repository.exclusively(command, wait: wait, recovered: { Console.say($0, language) }, body)
    }

    var environment: [String: String] { ProcessInfo.processInfo.environment }
}

/// Reads a `--data` file into the typed data of `action`.
func readData(_ action: Action, _ path: String, kind: CaseKind? = nil) throws -> StepData {
    let value = try StrictYAML.decode(StepData.dataType(for: action), contentsOf: path, rootKeys: kind.map(StepData.Open.keys(for:)))
    guard let data = StepData(action: action, value: value) else {
        throw CaseError(.actionUnknown, ["action": action.rawValue, "known": Action.allCases.map(\.rawValue).joined(separator: ", ")])
    }
    return data
}

func parseAction(_ text: String) throws -> Action {
    guard let action = Action(rawValue: text), action != .open else {
        let known = Action.allCases.filter { $0 != .open }.map(\.rawValue).joined(separator: ", ")
        throw CaseError(.actionUnknown, ["action": text, "known": known])
    }
    return action
}

func parseKind(_ text: String) throws -> CaseKind {
    guard let kind = CaseKind(rawValue: text) else {
        throw CaseError(.optionInvalid, ["option": "KIND", "value": text,
                                         "expected": CaseKind.allCases.map(\.rawValue).joined(separator: ", ")])
    }
    return kind
}

/// Writes `text` to `path` whole or not at all (a temporary file renamed into place); a
/// failure names the file and why.
func writeAtomically(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CaseError(.fileWriteFailed, ["file": path, "reason": error.localizedDescription])
    }
}

/// `text` followed by spaces up to `width` characters (never cut).
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func parseCaseID(_ text: String) throws -> CaseID {
    guard let id = CaseID(text) else { throw CaseError(.caseBadID, ["value": text]) }
    return id
}

/// The absolute path of the running binary, for hooks to call back.
var currentBinary: String {
    let path = CommandLine.arguments[0]
    if path.contains("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
    return ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
        .map { "\($0)/\(path)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? path
}
