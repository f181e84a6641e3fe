import ArgumentParser
import CaseModel
import CaseStore
import Foundation

// The entry point handles errors itself so that every failure gets the exit code of
// DESIGN §8 and a message from the catalogue in the user's language.
let language = Console.language(arguments: CommandLine.arguments)
do {
    var command = try Webjcase.parseAsRoot()
    try command.run()
} catch {
    exit(Console.report(error, language: language))
}
