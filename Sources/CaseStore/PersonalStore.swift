import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// One personal value kept out of the case record (DESIGN §2).
public struct PersonalEntry: Sendable, Codable, Equatable {
    public var kind = "personal"
    public var commitment: String
    /// Base64 of 32 random bytes.
    public var salt: String
    public var value: String
    /// The case whose step holds the commitment.
    public var `case`: CaseID

    /// `sha256:<hex>` of the salt's bytes followed by the value's UTF-8 bytes.
    public static func commitment(salt: Data, value: String) -> String {
        Digest.prefixed(salt + Data(value.utf8))
    }

    /// Whether the salt and value open the commitment.
    public var opens: Bool {
        guard let bytes = Data(base64Encoded: salt) else { return false }
        return Self.commitment(salt: bytes, value: value) == commitment
    }
}

/// A personal value and its salt, as the applicant's side hands them over beside a signed
/// form (`<form>.personal.yaml`, written by `webjcase sign`).
public struct PersonalDisclosure: Sendable, Codable, Equatable {
    public var commitment: String
    public var salt: String
    public var value: String

    public var opens: Bool {
        PersonalEntry(commitment: commitment, salt: salt, value: value, case: CaseID(kind: .registration, year: 2000, node: "xx", number: 1)).opens
    }

    /// Commits `value` under a fresh random salt.
    public static func make(_ value: String) -> PersonalDisclosure {
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return PersonalDisclosure(commitment: PersonalEntry.commitment(salt: salt, value: value), salt: salt.base64EncodedString(), value: value)
    }
}

/// `<form>.personal.yaml`.
public struct PersonalDisclosures: Sendable, Codable {
    public var kind = "personal-disclosure"
    public var values: [PersonalDisclosure]

    public init(values: [PersonalDisclosure]) { self.values = values }

    /// The commitments an applicant form holds.
    static func commitments(in data: Data, file: String) throws -> Set<String> {
        let kind = try StrictYAML.topLevelScalars(data, file: file)["kind"] ?? ""
        guard let type = ApplicantForm.type(for: kind) else { return [] }
        return Set(try StrictYAML.decode(type, from: data, file: file).personalFields.compactMap {
            if case .commitment(let commitment) = $0 { return commitment }
            return nil
        })
    }

    /// Replaces the personal values of an applicant form by commitments: the form to sign
    /// and the disclosures to hand over with it; nil when the form holds no value.
    public static func commit(_ data: Data, file: String) throws -> (form: Data, disclosures: PersonalDisclosures)? {
        let kind = try StrictYAML.topLevelScalars(data, file: file)["kind"] ?? ""
        guard let type = ApplicantForm.type(for: kind) else { return nil }
        let form = try StrictYAML.decode(type, from: data, file: file)
        var disclosures: [PersonalDisclosure] = []
        let committed = form.mappingPersonalFields { field in
            guard case .value(let value) = field else { return field }
            let disclosure = PersonalDisclosure.make(value)
            disclosures.append(disclosure)
            return .commitment(disclosure.commitment)
        }
        guard !disclosures.isEmpty else { return nil }
        return (try DocumentWriter.yaml(committed), PersonalDisclosures(values: disclosures))
    }
}

/// The personal store of this node: a bare git repository beside the case record's
/// objects (`<git dir>/webjcase/personal.git`), one file per commitment,
/// `entries/<2 hex>/<hex>.yaml`, each commit signed by the node. It is never pushed with
/// the case repository; it alone may be rewritten.
package struct PersonalStore {
    package let git: Repository
    package static let ref = "refs/heads/main"
    /// An entry is a value of a few dozen bytes, its salt and its case; anything larger is
    /// not one (S-PERSONAL-SIZE, which the hub holds pushes to).
    package static let maxEntryBytes = 64 << 10

    static func path(for repository: CaseRepository) -> String {
        (repository.gitDirectory as NSString).appendingPathComponent("webjcase/personal.git")
    }

    /// Opens the store, making it when `create` and it does not exist; nil when absent.
    package static func open(for repository: CaseRepository, create: Bool) throws -> PersonalStore? {
        let path = Self.path(for: repository)
        if FileManager.default.fileExists(atPath: path) { return PersonalStore(git: try Repository(path: path)) }
        guard create else { return nil }
        return PersonalStore(git: try Repository.create(at: path, bare: true))
    }

    package static func entryPath(_ commitment: String) -> String {
        let hex = commitment.dropFirst(7)
        return "entries/\(hex.prefix(2))/\(hex).yaml"
    }

    /// Adds entries in one commit signed by `key`.
    func add(_ entries: [PersonalEntry], node: String, key: SigningKey, clock: any CaseClock) throws {
        guard !entries.isEmpty else { return }
        let parent = try git.reference(Self.ref)
        let base = try parent.map { try git.commit($0).tree }
        var changes: [TreeChange] = []
        for entry in entries {
            let path = Self.entryPath(entry.commitment)
            let bytes = try DocumentWriter.yaml(entry)
            // The hub takes no larger entry (S-PERSONAL-SIZE): it would stop this node's sync.
            guard bytes.count <= Self.maxEntryBytes else {
                throw CaseError(.personalEntryTooLarge, ["path": path, "size": "\(bytes.count)", "limit": "\(Self.maxEntryBytes)"])
            }
            changes.append(.set(path: path, id: try git.writeBlob(bytes), mode: .blob))
        }
        let tree = try git.buildTree(base: base, changes: changes)
        let id = try NodeCommitWriter.commit(in: git, tree: tree, parent: parent,
                                             message: NodeCommitWriter.message("personal: \(entries.count) value(s) for \(entries[0].case)"),
                                             author: .personal(node), time: clock.now(), key: key)
        try git.updateReference(Self.ref, to: id, expected: parent, message: "webjcase: personal values")
    }

    /// The entry for `commitment`, or nil when the store does not hold it (withheld).
    func entry(_ commitment: String) throws -> PersonalEntry? {
        guard let head = try git.reference(Self.ref),
              let item = try git.entry(at: Self.entryPath(commitment), inTree: try git.commit(head).tree), !item.mode.isTree else { return nil }
        let path = Self.entryPath(commitment)
        return try StrictYAML.decode(PersonalEntry.self, from: try git.blob(item.id), file: "personal.git:" + path)
    }
}

/// What `webjcase personal check` finds for one personal field of a case.
public struct PersonalCheck: Sendable, Codable {
    public enum State: String, Sendable, Codable {
        /// The store holds a value that opens the commitment.
        case held
        /// The store does not hold it (never here, or deleted): reports say "withheld".
        case withheld
        /// The store's value does not open the commitment.
        case mismatch
    }
    public let path: String
    public let commitment: String
    public let state: State
}

extension CaseRepository {
    /// Replaces the values in `data` by commitments, keeping the values in the personal store.
    func committingPersonalValues(_ data: StepData, case id: CaseID, clock: any CaseClock) throws -> StepData {
        var entries: [PersonalEntry] = []
        let committed = data.mappingPersonalFields { field in
            guard case .value(let value) = field else { return field }
            var generator = SystemRandomNumberGenerator()
            let salt = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let commitment = PersonalEntry.commitment(salt: salt, value: value)
            entries.append(PersonalEntry(commitment: commitment, salt: salt.base64EncodedString(), value: value, case: id))
            return .commitment(commitment)
        }
        guard !entries.isEmpty else { return data }
        let node = try nodeConfig()
        // The values are kept before the step is committed: a refused step leaves an
        // unreferenced entry, never a commitment whose value was lost.
        try PersonalStore.open(for: self, create: true)?.add(entries, node: node.name, key: try loadKey(node.keyPath), clock: clock)
        return committed
    }

    /// Keeps values handed over with applicant documents, before the step commits.
    func keepDisclosures(_ disclosures: [PersonalDisclosure], case id: CaseID, clock: any CaseClock) throws {
        guard !disclosures.isEmpty else { return }
        let node = try nodeConfig()
        try PersonalStore.open(for: self, create: true)?.add(
            disclosures.map { PersonalEntry(commitment: $0.commitment, salt: $0.salt, value: $0.value, case: id) },
            node: node.name, key: try loadKey(node.keyPath), clock: clock)
    }

    /// The value behind a commitment, or nil when withheld.
    public func personalValue(_ commitment: String) throws -> String? {
        guard let entry = try PersonalStore.open(for: self, create: false)?.entry(commitment), entry.opens else { return nil }
        return entry.value
    }

    /// Each personal field of a case's steps against the personal store.
    public func checkPersonal(_ id: CaseID) throws -> [PersonalCheck] {
        let snapshot = try Snapshot(git: git, commit: try headID())
        guard try snapshot.data(id.directory + "/case.yaml") != nil else { throw CaseError(.caseNotFound, ["case": id.description]) }
        let store = try PersonalStore.open(for: self, create: false)
        var checks: [PersonalCheck] = []
        var fields: [(String, PersonalField)] = []
        for (path, _, document, _) in try snapshot.steps(id.directory) {
            fields += document.data.personalFields.map { (path, $0) }
        }
        for entry in try snapshot.names(id.directory + "/documents") where entry.name.hasSuffix(".yaml") {
            let path = "\(id.directory)/documents/\(entry.name)"
            guard let bytes = try snapshot.data(path) else { continue }
            fields += try PersonalDisclosures.commitments(in: bytes, file: path).sorted().map { (path, .commitment($0)) }
        }
        for (path, field) in fields {
            if case .commitment(let commitment) = field {
                let entry = try store?.entry(commitment)
                checks.append(PersonalCheck(path: path, commitment: commitment,
                                            state: entry == nil ? .withheld : entry!.opens ? .held : .mismatch))
            }
        }
        return checks
    }
}

extension CaseRepository {
    /// The entry files of a personal store's commit, path → blob.
    package static func entries(_ git: Repository, commit: ObjectID) throws -> [String: ObjectID] {
        var found: [String: ObjectID] = [:]
        let root = try git.commit(commit).tree
        guard let entries = try git.entry(at: "entries", inTree: root), entries.mode.isTree else { return [:] }
        for shard in try git.treeEntries(entries.id) where shard.mode.isTree {
            for file in try git.treeEntries(shard.id) where !file.mode.isTree {
                found["entries/\(shard.name)/\(file.name)"] = file.id
            }
        }
        return found
    }

    /// The entry paths a personal store's commit marks deleted (`deleted/<2 hex>/<hex>.yaml`).
    package static func tombstones(_ git: Repository, commit: ObjectID) throws -> Set<String> {
        let root = try git.commit(commit).tree
        guard let deleted = try git.entry(at: "deleted", inTree: root), deleted.mode.isTree else { return [] }
        var paths = Set<String>()
        for shard in try git.treeEntries(deleted.id) where shard.mode.isTree {
            for file in try git.treeEntries(shard.id) where !file.mode.isTree {
                paths.insert("entries/\(shard.name)/\(file.name)")
            }
        }
        return paths
    }
}
