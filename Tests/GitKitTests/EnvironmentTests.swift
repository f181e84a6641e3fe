import Foundation
import GitKit
import Testing

/// Tests that change this process's environment. Other tests' git commands drop GIT_* variables,
/// and GitKit opens repositories from the environment only when asked.
@Suite(.serialized) struct EnvironmentTests {
    /// Runs `body` with `variables` set, restoring the previous values afterwards.
    func withEnvironment<T>(_ variables: [String: String], _ body: () throws -> T) rethrows -> T {
        let saved = variables.keys.map { ($0, ProcessInfo.processInfo.environment[$0]) }
        for (name, value) in variables { setenv(name, value, 1) }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        return try body()
    }

    @Test func openFromEnvironmentSeesQuarantinedObjects() throws {
        try withTemporaryDirectory { directory throws in
            let main = try Repository.create(at: directory.sub("main.git"), bare: true)
            let quarantine = try Repository.create(at: directory.sub("incoming.git"), bare: true)
            let stored = try main.blob(text: "already stored\n")
            let incoming = try quarantine.blob(text: "being pushed\n")
            #expect(!main.objectExists(incoming))
            let gitDirBefore = ProcessInfo.processInfo.environment["GIT_DIR"]

            let opened = try withEnvironment([
                "GIT_DIR": main.gitDirectory,
                "GIT_OBJECT_DIRECTORY": quarantine.gitDirectory + "/objects",
                "GIT_ALTERNATE_OBJECT_DIRECTORIES": main.gitDirectory + "/objects",
            ]) {
                try Repository.openFromEnvironment()
            }
            #expect(ProcessInfo.processInfo.environment["GIT_DIR"] == gitDirBefore)
            #expect(opened.gitDirectory == main.gitDirectory)
            #expect(opened.isBare)
            #expect(opened.objectExists(incoming))
            #expect(opened.objectExists(stored))
            #expect(try opened.blob(incoming) == Data("being pushed\n".utf8))
        }
    }

    @Test func openFromEnvironmentFailsOutsideARepository() throws {
        try withTemporaryDirectory { directory throws in
            let error = try #require(throws: GitError.self) {
                try withEnvironment(["GIT_DIR": directory.sub("nothing-here")]) { try Repository.openFromEnvironment() }
            }
            #expect(error.function == "git_repository_open_ext")
        }
    }
}
