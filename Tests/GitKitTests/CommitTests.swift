import Foundation
import GitKit
import Testing

@Suite struct CommitTests {
    @Test func unsignedCommitRoundTrip() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let message = "Open the case\n\nBody line.\n\nCase: X\nAction: Y\n"
            let root = try repository.createCommit(
                tree: tree, parent: nil, author: testAuthor, committer: testCommitter, message: message, sign: nil
            )
            let child = try repository.commit(tree: tree, parent: root, message: "Second\n", second: 5)

            let read = try repository.commit(root)
            #expect(read.id == root)
            #expect(read.tree == tree)
            #expect(read.parents.isEmpty)
            #expect(read.author == testAuthor)
            #expect(read.committer == testCommitter)
            #expect(read.message == message)
            #expect(read.trailers.map(\.key) == ["Case", "Action"])
            #expect(read.trailers.map(\.value) == ["X", "Y"])
            #expect(try repository.commit(child).parents == [root])
            #expect(try repository.commitSignature(root) == nil)

            let text = try git(["cat-file", "-p", root.hex], in: path)
            #expect(text == """
                tree \(tree.hex)
                author Ada Author <ada@example.org> 1700000000 +0100
                committer Carl Committer <carl@example.org> 1700000100 -0500

                \(message)
                """)
            #expect(try git(["cat-file", "-p", child.hex], in: path).contains("parent \(root.hex)\n"))
            try git(["fsck", "--strict", child.hex], in: path)
        }
    }

    @Test func signedCommitCarriesGpgsigHeader() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let armored = "-----BEGIN PGP SIGNATURE-----\n\nZmFrZSBzaWduYXR1cmU=\n=abcd\n-----END PGP SIGNATURE-----\n"
            var signedBuffer: Data?
            let id = try repository.createCommit(
                tree: tree, parent: nil, author: testAuthor, committer: testCommitter, message: "Signed\n",
                sign: { buffer in
                    signedBuffer = buffer
                    return armored
                }
            )
            let buffer = try #require(signedBuffer)
            #expect(String(decoding: buffer, as: UTF8.self).hasPrefix("tree \(tree.hex)\n"))

            let shown = try git(["cat-file", "-p", id.hex], in: path)
            let header = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n ZmFrZSBzaWduYXR1cmU=\n =abcd\n -----END PGP SIGNATURE-----\n"
            #expect(shown.contains("committer Carl Committer <carl@example.org> 1700000100 -0500\n" + header + "\nSigned\n"))

            let extracted = try #require(try repository.commitSignature(id))
            #expect(String(decoding: extracted.signature, as: UTF8.self) == armored)
            #expect(extracted.signedData == buffer)

            // The signed data is the raw commit minus the header's lines.
            let raw = try git(["cat-file", "commit", id.hex], in: path)
            var withoutHeader: [Substring] = []
            var inHeader = false
            for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("gpgsig ") { inHeader = true; continue }
                if inHeader && line.hasPrefix(" ") { continue }
                inHeader = false
                withoutHeader.append(line)
            }
            #expect(withoutHeader.joined(separator: "\n") == String(decoding: buffer, as: UTF8.self))
            #expect(try repository.commit(id).message == "Signed\n")
            try git(["fsck", "--strict", id.hex], in: path)
        }
    }

    @Test func signingFailurePropagatesAndWritesNoCommit() throws {
        struct Refused: Error {}
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            #expect(throws: Refused.self) {
                try repository.createCommit(
                    tree: tree, parent: nil, author: testAuthor, committer: testCommitter, message: "x\n",
                    sign: { _ in throw Refused() }
                )
            }
            let all = try git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype)"], in: path)
            #expect(!all.contains("commit"))
        }
    }

    @Test func commitNeedsExistingTreeAndParent() throws {
        try withRepository { repository, _ throws in
            let missing = try #require(ObjectID(hex: "1111111111111111111111111111111111111111"))
            let tree = try repository.tree(["f.txt": "f\n"])
            #expect(throws: GitError.self) { try repository.commit(tree: missing, parent: nil) }
            #expect(throws: GitError.self) { try repository.commit(tree: tree, parent: missing) }
            #expect(throws: GitError.self) { try repository.commit(missing) }
            #expect(throws: GitError.self) { try repository.commitSignature(missing) }
            let blob = try repository.blob(text: "not a commit")
            #expect(throws: GitError.self) { try repository.commit(blob) }
        }
    }
}
