import ArgumentParser
import CaseModel
import CaseStore
import Foundation

// The entry point handles errors itself so that every failure gets the exit code of
// DESIGN §8 and a message from the catalogue in the user's language.
// SIGTERM and SIGINT must end every command, and every process it starts (git and the hooks
// under `serve`), even when the command was started with them blocked, as test runners and
// some service managers do: a blocked mask is inherited by every thread and child.
var terminating = sigset_t()
sigemptyset(&terminating)
sigaddset(&terminating, SIGTERM)
sigaddset(&terminating, SIGINT)
sigprocmask(SIG_UNBLOCK, &terminating, nil)

let language = Console.language(arguments: CommandLine.arguments)
do {
    var command = try Webjcase.parseAsRoot()
    try command.run()
} catch {
    exit(Console.report(error, language: language))
}
