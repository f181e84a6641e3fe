import Foundation
package import GitKit
import CaseModel
import CaseSigning

/// This clone's node: its name, key and hub, kept in the repository's own git config
/// (`webjcase.node`, `webjcase.key`, `webjcase.hub`), never in the user's global config.
public struct NodeConfig: Sendable, Equatable {
    public var name: String
    public var keyPath: String
    public var hub: String?
}

/// A case repository: one jurisdiction's cases in git, bare or with a work tree.
public final class CaseRepository {
    package let git: Repository
    /// The directory given to open it.
    public let location: String
    public static let mainRef = "refs/heads/main"

    /// Opens the case repository at `path` (its work tree or its git directory).
    public init(path: String) throws {
        location = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CaseError(.repoNotFound, ["path": path])
        }
        do {
            git = try Repository(path: path)
        } catch {
            throw CaseError(.repoNotFound, ["path": path])
        }
    }

    /// Opens the repository a git hook runs in, with quarantined objects visible.
    public static func fromHookEnvironment() throws -> CaseRepository {
        CaseRepository(git: try Repository.openFromEnvironment(), location: ".")
    }

    package init(git: Repository, location: String) {
        self.git = git
        self.location = location
    }

    /// The time budget of a hub's receive hooks, `webjcase.hookSeconds` in the config of the
    /// repository at `gitDirectory`; nil when it is not set to a positive whole number.
    public static func hookSeconds(gitDirectory: String) -> Int? {
        guard let git = try? Repository(path: gitDirectory), let text = try? git.config("webjcase.hookSeconds"),
              let seconds = Int(text), seconds > 0 else { return nil }
        return seconds
    }

    public var isBare: Bool { git.isBare }
    public var gitDirectory: String { git.gitDirectory }

    /// The commit `main` points at; a case repository always has one after `init`.
    public func head() throws -> String {
        try headID().hex
    }

    package func headID() throws -> ObjectID {
        guard let id = try git.reference(Self.mainRef) else {
            throw CaseError(.repoNotCaseRepository, ["path": location, "missing": Self.mainRef])
        }
        return id
    }

    /// Settings at `main`.
    public func settings() throws -> RepositorySettings {
        try Snapshot(git: git, commit: try headID()).settings()
    }

    /// The case repositories of other jurisdictions beside this bare one: on a hub,
    /// `<root>/<jurisdiction>.git` for each jurisdiction it holds (DESIGN §5: "the hub
    /// checks across repositories"). Personal stores and clones of this jurisdiction are
    /// not among them; a repository with a work tree has none.
    package func elsewhere() throws -> [Repository] {
        guard git.isBare else { return [] }
        let own = URL(fileURLWithPath: git.gitDirectory).standardizedFileURL
        let layout = HubLayout(containing: git.gitDirectory)
        let jurisdiction = try? Snapshot(git: git, commit: try headID()).settings().config.jurisdiction
        return layout.caseRepositoryNames().compactMap { name -> Repository? in
            guard name != own.lastPathComponent,
                  let other = try? Repository(path: (layout.root as NSString).appendingPathComponent(name)),
                  let head = try? other.reference(Self.mainRef),
                  let settings = try? Snapshot(git: other, commit: head).settings(),
                  settings.config.jurisdiction != jurisdiction else { return nil }
            return other
        }
    }

    /// The node configuration, or an error telling how to make one.
    public func nodeConfig() throws -> NodeConfig {
        guard let name = try git.config("webjcase.node") else {
            throw CaseError(.repoNodeNotConfigured, ["path": location, "key": "webjcase.node"])
        }
        guard let key = try git.config("webjcase.key") else {
            throw CaseError(.repoNodeNotConfigured, ["path": location, "key": "webjcase.key"])
        }
        return NodeConfig(name: name, keyPath: key, hub: try git.config("webjcase.hub"))
    }

    /// The clock a hook uses. Before the first push there is no policy to ask about
    /// production mode, so an empty repository reads the system clock.
    public func hookClock(environment: [String: String]) throws -> any CaseClock {
        guard try git.reference(Self.mainRef) != nil else { return SystemClock() }
        return try clock(environment: environment)
    }

    /// The clock commands use: `WEBJCASE_NOW` when set, except in production mode.
    public func clock(environment: [String: String]) throws -> any CaseClock {
        guard let value = environment["WEBJCASE_NOW"], !value.isEmpty else { return SystemClock() }
        if try settings().policy.mode == .production {
            throw CaseError(.clockProduction, [:], status: .badInput)
        }
        guard let time = Timestamp(value) else { throw CaseError(.clockInvalid, ["value": value]) }
        return FixedClock(time.date)
    }
}

extension CaseRepository {
    /// `error` as a person can act on it, for the git failures that mean something to them
    /// (the command line does not see GitKit): an object whose bytes do not hash to its id
    /// is a damaged or altered repository. Anything else is returned as it is.
    public static func explained(_ error: any Error) -> any Error {
        if let error = error as? GitError, error.code == .mismatch {
            return CaseError(.repoObjectMismatch, ["detail": error.message])
        }
        return error
    }
}

extension CaseRepository {
    /// Writes the path → bytes `files` on top of `parent` as one commit signed by the node,
    /// validates that commit exactly as the hub will, and only then moves `main` from
    /// `parent` (compare-and-swap). Refusals leave every ref where it was. Returns the commit
    /// and the findings recorded (not refusing) for auditors.
    func commit(files: [(path: String, data: Data)], parent: ObjectID, message: String,
                clock: any CaseClock) throws -> (id: ObjectID, findings: [Finding]) {
        let node = try nodeConfig()
        let key = try loadKey(node.keyPath)
        let settings = try Snapshot(git: git, commit: parent).settings()
        let parentTree = try git.commit(parent).tree
        var changes: [TreeChange] = []
        for file in files {
            changes.append(.set(path: file.path, id: try git.writeBlob(file.data), mode: .blob))
        }
        let tree = try git.buildTree(base: parentTree, changes: changes)
        let now = clock.now()
        let id = try NodeCommitWriter.commit(in: git, tree: tree, parent: parent, message: message,
                                             author: .node(node.name, jurisdiction: settings.config.jurisdiction), time: now, key: key)
        let validator = CommitValidator(git: git, mode: .local(now: now, useIndex: true), elsewhere: try elsewhere(),
                                        cache: try CaseIndex.organizationsCache(git, at: parent))
        let verdict = try validator.validate(id)
        guard verdict.isAccepted else { throw RuleViolation(verdict.findings) }
        let findings = verdict.findings
        try checkWorkTree(files)
        try git.moveReference(Self.mainRef, to: id, expected: parent, message: "webjcase: " + (message.split(separator: "\n").first.map(String.init) ?? ""))
        try writeWorkTree(files)
        return (id, findings)
    }

    /// Before `main` moves: every file the commit writes is either absent from the work
    /// tree or already has exactly the committed bytes (a proposal signed in place), so
    /// that nobody's unsaved edit is overwritten.
    private func checkWorkTree(_ files: [(path: String, data: Data)]) throws {
        guard let work = git.workDirectory else { return }
        for file in files {
            let path = (work as NSString).appendingPathComponent(file.path)
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
            guard exists || link else { continue }
            // Only a regular file with exactly the committed bytes may already be there.
            if isDirectory.boolValue || link || FileManager.default.contents(atPath: path) != file.data {
                throw CaseError(.repoWorkTreeDirty, ["path": location, "detail": file.path])
            }
        }
    }

    /// After `main` moved: the work tree and the index show the committed files.
    private func writeWorkTree(_ files: [(path: String, data: Data)]) throws {
        guard let work = git.workDirectory else { return }
        do {
            for file in files {
                let url = URL(fileURLWithPath: (work as NSString).appendingPathComponent(file.path))
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                if FileManager.default.contents(atPath: url.path) != file.data {
                    try AtomicFile.write(file.data, to: url.path)
                }
            }
            try git.stage(files.map(\.path))
        } catch {
            throw CaseError(.stepRecordedWorkTree, ["commit": String((try? headID().hex.prefix(12)).map(String.init) ?? "?"),
                                                    "reason": "\(error)", "path": work])
        }
    }
}

/// Loads a private key, with catalogue messages for every failure.
public func loadKey(_ path: String) throws -> SigningKey {
    guard FileManager.default.fileExists(atPath: path) else {
        throw CaseError(.fileUnreadable, ["file": path, "reason": "no such file"])
    }
    do {
        return try SigningKey.load(path: path)
    } catch let error as SigningError {
        throw CaseError(error.message(file: path), status: .badInput)
    } catch {
        throw CaseError(.fileUnreadable, ["file": path, "reason": "\(error)"])
    }
}
