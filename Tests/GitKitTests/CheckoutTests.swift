import Foundation
import GitKit
import Testing

@Suite struct CheckoutTests {
    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func updatesWorkTreeAndIndex() throws {
        try withRepository(bare: false) { repository, path throws in
            let first = try repository.tree(["a.txt": "a1\n", "dir/b.txt": "b\n", "dir/keep.txt": "k\n"])
            let c1 = try repository.commit(tree: first, parent: nil)
            try repository.updateReference("refs/heads/main", to: c1, expected: nil, message: "c1")
            try repository.checkout(tree: first, baseline: nil)
            #expect(read(path + "/a.txt") == "a1\n")
            #expect(read(path + "/dir/b.txt") == "b\n")
            #expect(try git(["status", "--porcelain"], in: path) == "")

            let second = try repository.buildTree(base: first, changes: [
                .set(path: "a.txt", id: try repository.blob(text: "a2\n"), mode: .blob),
                .remove(path: "dir/b.txt"),
                .set(path: "bin/run", id: try repository.blob(text: "#!/bin/sh\n"), mode: .executable),
            ])
            let c2 = try repository.commit(tree: second, parent: c1, second: 1)
            try repository.updateReference("refs/heads/main", to: c2, expected: c1, message: "c2")
            try repository.checkout(tree: second, baseline: first)
            #expect(read(path + "/a.txt") == "a2\n")
            #expect(!FileManager.default.fileExists(atPath: path + "/dir/b.txt"))
            #expect(FileManager.default.isExecutableFile(atPath: path + "/bin/run"))
            #expect(try git(["status", "--porcelain"], in: path) == "")
            #expect(try git(["ls-files"], in: path) == "a.txt\nbin/run\ndir/keep.txt\n")
        }
    }

    @Test func refusesToOverwriteLocalChanges() throws {
        try withRepository(bare: false) { repository, path throws in
            let first = try repository.tree(["a.txt": "a1\n"])
            let c1 = try repository.commit(tree: first, parent: nil)
            try repository.updateReference("refs/heads/main", to: c1, expected: nil, message: "c1")
            try repository.checkout(tree: first, baseline: nil)
            try Data("local edit\n".utf8).write(to: URL(fileURLWithPath: path + "/a.txt"))

            let second = try repository.tree(["a.txt": "a2\n", "new.txt": "n\n"], base: first)
            let error = try #require(throws: GitError.self) { try repository.checkout(tree: second, baseline: first) }
            #expect(error.code == .conflict)
            #expect(error.function == "git_checkout_tree")
            #expect(read(path + "/a.txt") == "local edit\n")
            #expect(!FileManager.default.fileExists(atPath: path + "/new.txt"))
        }
    }

    @Test func refusesBareRepository() throws {
        try withRepository(bare: true) { repository, _ throws in
            let tree = try repository.tree(["a.txt": "a\n"])
            #expect(throws: GitError.self) { try repository.checkout(tree: tree, baseline: nil) }
        }
    }
}
