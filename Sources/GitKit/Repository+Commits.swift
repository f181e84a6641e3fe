import Foundation
internal import CLibGit2

extension Repository {
    /// Reads commit `id`.
    public func commit(_ id: ObjectID) throws -> Commit {
        try lookupCommit(id).use { commit in
            guard let tree = git_commit_tree_id(commit), let author = git_commit_author(commit),
                  let committer = git_commit_committer(commit)
            else {
                throw GitError(function: "git_commit_lookup", code: .invalid, message: "commit \(id) is incomplete")
            }
            let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
                git_commit_parent_id(commit, index).map { ObjectID($0.pointee) }
            }
            return Commit(
                id: id,
                tree: ObjectID(tree.pointee),
                parents: parents,
                author: Signature(author.pointee),
                committer: Signature(committer.pointee),
                message: git_commit_message(commit).map { String(cString: $0) } ?? ""
            )
        }
    }

    /// The "gpgsig" signature of commit `id` (as `sign` returned it, ending in a line break) and the
    /// commit text it signs; nil when unsigned. It reads the raw commit, which libgit2 keeps in
    /// its cache: a `commit(id)` after it parses that copy instead of reading the commit again.
    public func commitSignature(_ id: ObjectID) throws -> (signature: Data, signedData: Data)? {
        var signature = git_buf()
        var signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        var oid = id.oid
        let result = git_commit_extract_signature(&signature, &signed, pointer, &oid, "gpgsig")
        if result == GIT_ENOTFOUND.rawValue {
            _ = try lookupCommit(id)  // a missing commit throws instead of reading as unsigned
            return nil
        }
        try check("git_commit_extract_signature", result)
        var armored = Data(signature)
        if armored.last != UInt8(ascii: "\n") { armored.append(UInt8(ascii: "\n")) }
        return (armored, Data(signed))
    }

    /// Writes a commit object (no reference moves); `sign` gets the commit text and returns the armored
    /// "gpgsig" signature. The message is stored as given, without git's clean-up.
    public func createCommit(
        tree: ObjectID,
        parent: ObjectID?,
        author: Signature,
        committer: Signature,
        message: String,
        sign: ((Data) throws -> String)?
    ) throws -> ObjectID {
        for (field, text) in [("message", message), ("author", author.name + author.email), ("committer", committer.name + committer.email)]
            where text.utf8.contains(0) {
            throw GitError(function: "Repository.createCommit", code: .invalid, message: "the \(field) contains a NUL byte")
        }
        let treeHandle = try lookupTree(tree)
        let parentHandle = try parent.map(lookupCommit)
        let authorHandle = try author.handle(owner: self)
        let committerHandle = try committer.handle(owner: self)
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = treeHandle.use { tree in
            authorHandle.use { author in
                committerHandle.use { committer in
                    withExtendedLifetime(parentHandle) {
                        // The raw parent pointer stays valid: parentHandle is kept alive around the call.
                        var parents: [OpaquePointer?] = parentHandle.map { [$0.use { $0 }] } ?? []
                        return parents.withUnsafeMutableBufferPointer { parents in
                            git_commit_create_buffer(
                                &buffer, pointer, author, committer, nil, message, tree, parents.count, parents.baseAddress
                            )
                        }
                    }
                }
            }
        }
        try check("git_commit_create_buffer", result)
        guard let content = buffer.ptr else {
            throw GitError(function: "git_commit_create_buffer", code: .other(0), message: "returned no buffer")
        }
        var armored: String?
        if let sign {
            var text = try sign(Data(buffer))
            // libgit2 writes the value's last line break itself, as git does.
            if text.hasSuffix("\n") { text.removeLast() }
            guard !text.isEmpty else {
                throw GitError(function: "Repository.createCommit", code: .invalid, message: "the signature is empty")
            }
            armored = text
        }
        var oid = git_oid()
        try check(
            "git_commit_create_with_signature",
            git_commit_create_with_signature(&oid, pointer, content, armored, "gpgsig")
        )
        packedCommits?.append((ObjectID(oid), parent))
        return ObjectID(oid)
    }

    func lookupCommit(_ id: ObjectID) throws -> Owned<OpaquePointer> {
        var oid = id.oid
        return try make("git_commit_lookup", owner: self, release: git_commit_free) {
            git_commit_lookup(&$0, pointer, &oid)
        }
    }
}

extension Signature {
    init(_ signature: git_signature) {
        self.init(
            name: signature.name.map { String(cString: $0) } ?? "",
            email: signature.email.map { String(cString: $0) } ?? "",
            time: Date(timeIntervalSince1970: TimeInterval(signature.when.time)),
            timeZoneOffsetMinutes: Int(signature.when.offset)
        )
    }

    func handle(owner: AnyObject) throws -> Owned<UnsafeMutablePointer<git_signature>> {
        let seconds = git_time_t(time.timeIntervalSince1970.rounded(.down))
        guard let offset = Int32(exactly: timeZoneOffsetMinutes) else {
            throw GitError(function: "git_signature_new", code: .invalid, message: "time zone offset out of range")
        }
        return try make("git_signature_new", owner: owner, release: git_signature_free) {
            git_signature_new(&$0, name, email, seconds, offset)
        }
    }
}

extension Data {
    /// Copies the bytes of a libgit2 buffer.
    init(_ buffer: git_buf) {
        if let pointer = buffer.ptr, buffer.size > 0 {
            self.init(bytes: pointer, count: buffer.size)
        } else {
            self.init()
        }
    }
}
