import Foundation

/// The identity and time of an author or committer.
public struct Signature: Sendable, Equatable {
    /// The person's name.
    public var name: String
    /// The person's email address.
    public var email: String
    /// The moment, stored by git in whole seconds.
    public var time: Date
    /// The time zone offset from UTC in minutes (e.g. 120 for +0200).
    public var timeZoneOffsetMinutes: Int

    /// A signature; `time` is truncated to whole seconds when written.
    public init(name: String, email: String, time: Date, timeZoneOffsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }
}

/// The modes GitKit writes into trees.
public enum FileMode: UInt32, Sendable {
    /// A regular file.
    case blob = 0o100644
    /// An executable file.
    case executable = 0o100755
    /// A symbolic link (the blob holds the target).
    case symlink = 0o120000
    /// A directory.
    case tree = 0o040000
    /// A submodule commit.
    case gitlink = 0o160000
}

/// A tree entry's mode exactly as read, including modes GitKit does not know.
public struct EntryMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The mode bits as stored in the tree.
    public let rawValue: UInt32

    /// Any mode value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A known mode.
    public init(_ mode: FileMode) { self.rawValue = mode.rawValue }

    /// The known mode, or nil for a nonstandard one (e.g. 100664 from old git versions).
    public var fileMode: FileMode? { FileMode(rawValue: rawValue) }

    /// Whether the entry is a subtree (git decides by the type bits, as here).
    public var isTree: Bool { rawValue & 0o170000 == 0o040000 }

    /// Six octal digits, as `git ls-tree` prints them.
    public var description: String {
        let octal = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - octal.count)) + octal
    }
}

/// One entry of a tree.
public struct TreeEntry: Sendable, Equatable {
    /// The entry's name (one path component).
    public let name: String
    /// The entry's mode.
    public let mode: EntryMode
    /// The blob, tree or (for a gitlink) commit id.
    public let id: ObjectID

    /// An entry.
    public init(name: String, mode: EntryMode, id: ObjectID) {
        self.name = name
        self.mode = mode
        self.id = id
    }
}

/// One edit for `Repository.buildTree`; paths are slash-separated and relative to the root.
public enum TreeChange: Sendable, Equatable {
    /// Points `path` at an existing object (a blob; a tree for `.tree`; a commit for `.gitlink`), creating directories.
    case set(path: String, id: ObjectID, mode: FileMode)
    /// Removes the file or whole directory at `path`; directories left empty go too; an absent path is ignored.
    case remove(path: String)

    /// The path the change applies to.
    public var path: String {
        switch self {
        case .set(let path, _, _), .remove(let path): path
        }
    }
}

/// A changed leaf (blob, symlink or gitlink) between two trees.
public struct PathChange: Sendable, Equatable {
    /// How the path changed.
    public enum Status: Sendable, Equatable {
        /// Present only in the new tree.
        case added
        /// Present only in the old tree.
        case deleted
        /// Present in both with a different id or mode.
        case modified
    }

    /// The full slash-separated path.
    public let path: String
    /// How it changed.
    public let status: Status
    /// The mode in the old tree, nil when added.
    public let oldMode: EntryMode?
    /// The mode in the new tree, nil when deleted.
    public let newMode: EntryMode?
    /// The id in the old tree, nil when added.
    public let oldID: ObjectID?
    /// The id in the new tree, nil when deleted.
    public let newID: ObjectID?

    /// A change.
    public init(path: String, status: Status, oldMode: EntryMode?, newMode: EntryMode?, oldID: ObjectID?, newID: ObjectID?) {
        self.path = path
        self.status = status
        self.oldMode = oldMode
        self.newMode = newMode
        self.oldID = oldID
        self.newID = newID
    }
}

/// A commit as read from the repository.
public struct Commit: Sendable {
    /// The commit's id.
    public let id: ObjectID
    /// The root tree.
    public let tree: ObjectID
    /// Parent commits, in order.
    public let parents: [ObjectID]
    /// Who wrote the change.
    public let author: Signature
    /// Who made the commit.
    public let committer: Signature
    /// The full message (invalid UTF-8 replaced by U+FFFD).
    public let message: String

    /// The message's trailers (e.g. `Case: X`), as `git interpret-trailers` reads them.
    public var trailers: [(key: String, value: String)] { GitKit.trailers(in: message) }
}
