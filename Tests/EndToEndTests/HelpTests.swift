import Foundation
import Testing
import TestSupport

/// Every command says how to use it: `--help` of each one, found by walking the
/// subcommand lists the binary prints, shows an example; shell completions come out of
/// the same definitions.
@Suite struct HelpTests {
    /// The command paths below `path`, by the SUBCOMMANDS sections of `--help`.
    func leaves(_ path: [String]) throws -> [([String], String)] {
        let help = try runProcess(webjcaseBinary, path + ["--help"])
        #expect(help.status == 0, "\(path): \(help)")
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [(path, help.stdout)] }
        let names = lines[(start + 1)...].prefix { !$0.hasPrefix("  See ") }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        return try names.flatMap { try leaves(path + [$0]) }
    }

    @Test func everyCommandHasAnExample() throws {
        let all = try leaves([])
        #expect(all.count >= 30, "found \(all.count) commands")
        for (path, help) in all {
            #expect(help.contains("Example"), "`webjcase \(path.joined(separator: " ")) --help` shows no example")
        }
    }

    @Test func shellCompletions() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try runProcess(webjcaseBinary, ["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("webjcase") && script.stdout.contains("sync"), "\(shell): \(script.stderr)")
        }
    }
}
