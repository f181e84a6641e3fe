import Foundation
package import GitKit
import CaseModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CaseRepository {
    /// Runs `body` holding the repository's write lock (`.git/webjcase/lock`, an advisory
    /// `flock` the kernel lets go of when its holder dies, however it dies): a live holder is
    /// waited for up to `wait` seconds, then refused with `repo.busy`; a dead one's leftovers
    /// are cleaned up first (`recoverAfterDeadRun`), and `recovered` is told what was done.
    ///
    /// The lock file holds, while a command runs, what runs it (`pid`, start time, `main` as
    /// it found it, command), and is emptied when it ends: a record found when the lock is taken is a command that
    /// died on the way. `body` is given the proof that the lock is held, which every write
    /// path of the library asks for.
    public func exclusively<T>(_ command: String, wait: TimeInterval = 30, recovered: (Message) -> Void = { _ in },
                               _ body: (WriteLock.Held) throws -> T) throws -> T {
        let lock = try WriteLock(gitDirectory: git.gitDirectory, command: command, wait: wait, location: location,
                                 main: { try? self.git.reference(Self.mainRef) })
        defer { lock.release() }
        if let dead = lock.deadRun {
            let done = try recoverAfterDeadRun(startedAt: dead.started, main: dead.main.flatMap(ObjectID.init(hex:)))
            lock.recovered(main: try git.reference(Self.mainRef))
            if !done.isEmpty {
                recovered(Message(.repoRecovered, ["holder": dead.description, "detail": done.joined(separator: "; ")]))
            }
        }
        return try body(WriteLock.Held(gitDirectory: git.gitDirectory))
    }

    /// A write path's first check: the lock held is this repository's.
    package func requireHeld(_ lock: WriteLock.Held) {
        precondition(lock.gitDirectory == git.gitDirectory, "the write lock of \(lock.gitDirectory) is held, not of \(git.gitDirectory)")
    }

    /// What a killed command may leave, removed or finished: libgit2's temporary files
    /// (`*_git2_*` under `objects/`, never git's own `tmp_obj_*`), the lock files of refs,
    /// the index and the config it took after it started (older ones belong to someone else
    /// and are left), and, in a work tree, the files of a commit `main` moved to before they
    /// were written (`main` as the dead command found it, `before`, to `main` now; a file
    /// changed by hand is never overwritten).
    func recoverAfterDeadRun(startedAt: Date, main before: ObjectID?) throws -> [String] {
        var done: [String] = []
        let directory = git.gitDirectory
        let files = FileManager.default
        var temporaries = 0
        for folder in ["objects", "objects/pack"] {
            let path = (directory as NSString).appendingPathComponent(folder)
            for name in (try? files.contentsOfDirectory(atPath: path)) ?? [] where name.contains("_git2_") {
                if (try? files.removeItem(atPath: (path as NSString).appendingPathComponent(name))) != nil { temporaries += 1 }
            }
        }
        temporaries += AtomicFile.sweep((directory as NSString).appendingPathComponent("webjcase"))
        if temporaries > 0 { done.append("\(temporaries) temporary file(s) removed") }
        var locks: [String] = []
        let candidates = ["index.lock", "HEAD.lock", "config.lock", "packed-refs.lock"]
            + ((files.enumerator(atPath: (directory as NSString).appendingPathComponent("refs"))?.allObjects as? [String]) ?? [])
                .filter { $0.hasSuffix(".lock") }.map { "refs/" + $0 }
        for name in candidates {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  modified >= startedAt.addingTimeInterval(-1) else { continue }
            if (try? files.removeItem(atPath: path)) != nil { locks.append(name) }
        }
        if !locks.isEmpty { done.append("stale lock(s) removed: \(locks.joined(separator: ", "))") }
        let written = try finishWorkTree(from: before)
        if !written.isEmpty { done.append("\(written.count) file(s) of main written to the work tree") }
        return done
    }

    /// The files `main` added or changed since `before` that the work tree and the index
    /// still show as they were (a step or a sync killed after `main` moved, before it wrote
    /// them): written and staged. A file the index or the work tree holds in any third
    /// version is somebody's edit and is left alone.
    private func finishWorkTree(from before: ObjectID?) throws -> [String] {
        guard let work = git.workDirectory, let before, let head = try git.reference(Self.mainRef), head != before else { return [] }
        let commit = try git.commit(head)
        let staged = try git.indexTree()
        var written: [String] = []
        for change in try git.changes(from: try git.commit(before).tree, to: commit.tree) {
            guard let new = change.newID else { continue }
            let index = try git.entry(at: change.path, inTree: staged)?.id
            guard index == change.oldID || index == new else { continue }
            let path = (work as NSString).appendingPathComponent(change.path)
            AtomicFile.sweep((path as NSString).deletingLastPathComponent)
            let bytes = try git.blob(new)
            let present = FileManager.default.contents(atPath: path)
            let before = try change.oldID.map { try git.blob($0) }
            if present == bytes && index == new { continue }
            guard present == nil || present == before || present == bytes else { continue }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: path)
            written.append(change.path)
        }
        if !written.isEmpty { try git.stage(written) }
        return written
    }
}

/// The advisory lock behind `CaseRepository.exclusively`.
public final class WriteLock {
    /// The proof that a repository's write lock is held: only `CaseRepository.exclusively`
    /// makes one, for its body, and the library's write paths (`openCase`, `recordStep`,
    /// `commitProposal`, sync, dropping a conflict, a personal deletion) take one, so that
    /// nothing writes `main` without the lock.
    public struct Held: Sendable {
        /// The git directory of the repository whose lock is held.
        package let gitDirectory: String

        fileprivate init(gitDirectory: String) { self.gitDirectory = gitDirectory }
    }

    /// `<pid> <start, Unix seconds> <main then, or -> <command>`.
    struct Run: CustomStringConvertible {
        let pid: Int32
        let started: Date
        let main: String?
        let command: String
        var description: String { "\(command), pid \(pid), started \(Timestamp(started).text)" }

        var record: String { "\(pid) \(Int(started.timeIntervalSince1970)) \(main ?? "-") \(command)\n" }

        init(pid: Int32, started: Date, main: String?, command: String) {
            self.pid = pid
            self.started = started
            self.main = main
            self.command = command
        }

        init?(record: String) {
            let parts = record.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 3)
            guard parts.count == 4, let pid = Int32(parts[0]), let seconds = Int(parts[1]) else { return nil }
            self.init(pid: pid, started: Date(timeIntervalSince1970: TimeInterval(seconds)), main: parts[2] == "-" ? nil : String(parts[2]),
                      command: String(parts[3]))
        }
    }

    private let descriptor: Int32
    private let command: String
    /// The record of a holder that died before it finished, when there was one.
    private(set) var deadRun: Run?

    init(gitDirectory: String, command: String, wait: TimeInterval, location: String, main: () -> ObjectID?) throws {
        let folder = (gitDirectory as NSString).appendingPathComponent("webjcase")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("lock")
        self.command = command
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CaseError(.repoGit, ["detail": "cannot open \(path): \(String(cString: strerror(errno)))"], status: .badInput)
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = Self.read(descriptor).flatMap(Run.init(record:))?.description ?? "unknown"
                close(descriptor)
                throw CaseError(.repoBusy, ["holder": holder, "path": location, "seconds": String(format: "%g", wait)], status: .conflict)
            }
            usleep(20_000)
        }
        deadRun = Self.read(descriptor).flatMap(Run.init(record:))
        // Until the dead run is cleaned up after, this run stands for it: should it die too
        // before then, the next one still recovers from where the dead run started (its
        // `main`, its start), not from a `main` whose work tree was never finished.
        let mine = Run(pid: getpid(), started: deadRun?.started ?? Date(), main: deadRun.map(\.main) ?? main()?.hex, command: command)
        write(mine)
    }

    /// The dead run is cleaned up after: from now on this run's own start and `main` count.
    func recovered(main: ObjectID?) {
        write(Run(pid: getpid(), started: Date(), main: main?.hex, command: command))
    }

    private func write(_ run: Run) {
        let record = run.record
        _ = ftruncate(descriptor, 0)
        _ = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Ends the run: the record is emptied (a clean end), then the lock let go.
    func release() {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    private static func read(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
