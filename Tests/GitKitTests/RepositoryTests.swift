import Foundation
import GitKit
import Testing

@Suite struct RepositoryTests {
    @Test(arguments: [true, false])
    func createPutsHeadOnMain(bare: Bool) throws {
        try withRepository(bare: bare) { repository, path throws in
            #expect(repository.isBare == bare)
            #expect(try git(["symbolic-ref", "HEAD"], in: path) == "refs/heads/main\n")
            if bare {
                #expect(repository.gitDirectory == path)
                #expect(repository.workDirectory == nil)
                #expect(try git(["rev-parse", "--is-bare-repository"], in: path) == "true\n")
            } else {
                #expect(repository.gitDirectory == path + "/.git")
                #expect(repository.workDirectory == path)
                #expect(try git(["rev-parse", "--is-bare-repository"], in: path) == "false\n")
            }
            #expect(try repository.reference("HEAD") == nil)
        }
    }

    @Test(arguments: [true, false])
    func createRefusesExistingRepository(bare: Bool) throws {
        try withRepository(bare: bare) { _, path throws in
            let error = try #require(throws: GitError.self) { try Repository.create(at: path, bare: bare) }
            #expect(error.code == .exists)
            #expect(error.function == "git_repository_init_ext")
        }
    }

    @Test func opensRepositoryMadeByGit() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory.sub("made-by-git")
            try git(["init", "--quiet", "--bare", path])
            let repository = try Repository(path: path)
            #expect(repository.isBare)
            #expect(repository.gitDirectory == path)
        }
    }

    @Test func openingNonRepositoryNamesTheFunction() throws {
        try withTemporaryDirectory { directory throws in
            let error = try #require(throws: GitError.self) { try Repository(path: directory.path) }
            #expect(error.code == .notFound)
            #expect(error.function == "git_repository_open_ext")
            #expect(error.errorClass != 0)
            #expect(String(describing: error).contains("git_repository_open_ext"))
            #expect(String(describing: error).contains(directory.path))
        }
    }

    @Test func doesNotSearchParentDirectories() throws {
        try withRepository(bare: false) { _, path throws in
            let inner = path + "/inner"
            try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: true)
            #expect(throws: GitError.self) { try Repository(path: inner) }
        }
    }

    @Test func configIsTheRepositorysOwnFile() throws {
        try withRepository { repository, path throws in
            #expect(try repository.config("webjcase.test") == nil)
            try repository.setConfig("webjcase.test", "on")
            #expect(try repository.config("webjcase.test") == "on")
            let fromFile = try git(["config", "--file", path + "/config", "--get", "webjcase.test"])
            #expect(fromFile == "on\n")
            #expect(try Repository(path: path).config("webjcase.test") == "on")
        }
    }

    @Test func reportsLinkedVersion() throws {
        let version = GitKit.version
        #expect(version.split(separator: ".").count == 3)
        #expect(version.hasPrefix("1."))
    }

    @Test func parsesTrailers() {
        let message = "Open a case\n\nSome explanation.\n\nCase: X\nAction: Y\n"
        let trailers = GitKit.trailers(in: message)
        #expect(trailers.map(\.key) == ["Case", "Action"])
        #expect(trailers.map(\.value) == ["X", "Y"])
        #expect(GitKit.trailers(in: "Just a title\n").isEmpty)
    }
}
