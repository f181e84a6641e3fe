import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules

/// The repository-wide settings in force at one commit: `webjcase.yaml` and the policy.
public struct RepositorySettings: Sendable {
    public let config: RepositoryConfig
    public let policy: Policy
    public let policyBytes: Data
    public let keys: PolicyKeys

    /// `sha256:<hex>` of `trust/policy.yaml`: what nodes pin.
    public var policyFingerprint: String { Digest.prefixed(policyBytes) }

    /// S-PUSHER (PushRules): whether the node a hub's transport authenticated may write here.
    package func pusherRefusal(_ node: String) -> Finding? {
        PushRules.pusher(node, policy: policy, jurisdiction: config.jurisdiction)
    }
}

/// Reads files of one commit's tree. Never trusts what it reads: every document goes
/// through the strict reader, and a missing file is a value, not a crash.
package struct Snapshot {
    let git: Repository
    package let tree: ObjectID
    /// What was read before, by object id (a run of the validator shares one).
    var cache: SnapshotCache?

    package init(git: Repository, commit: ObjectID, cache: SnapshotCache? = nil) throws {
        self.git = git
        self.tree = try git.commit(commit).tree
        self.cache = cache
    }

    init(git: Repository, tree: ObjectID, cache: SnapshotCache? = nil) {
        self.git = git
        self.tree = tree
        self.cache = cache
    }

    /// The entry at `path`, if any: looked up ahead by a signature batch, or in the tree.
    func entry(_ path: String) throws -> TreeEntry? {
        if let known = cache?.entries[.init(tree: tree, path: path)] { return known }
        return try git.entry(at: path, inTree: tree)
    }

    /// The object id at `path`, if any (a blob or a tree).
    func id(_ path: String) throws -> ObjectID? {
        try entry(path)?.id
    }

    /// The bytes at `path`, or nil when there is no regular file there.
    package func data(_ path: String) throws -> Data? {
        guard let entry = try entry(path), !entry.mode.isTree else { return nil }
        return try git.blob(entry.id)
    }

    /// Names in the directory at `path` (empty when it does not exist).
    package func names(_ path: String) throws -> [TreeEntry] {
        guard let entry = try entry(path), entry.mode.isTree else { return [] }
        return try git.treeEntries(entry.id)
    }

    func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T? {
        guard let bytes = try data(path) else { return nil }
        return try StrictYAML.decode(type, from: bytes, file: path)
    }

    /// `webjcase.yaml` and `trust/policy.yaml`, checked.
    package func settings() throws -> RepositorySettings {
        guard let cache else { return try readSettings() }
        let key = SettingsKey(config: try id("webjcase.yaml"), policy: try id("trust/policy.yaml"), roots: try id("trust/roots"))
        if let known = cache.settings[key] { return known }
        let settings = try readSettings()
        cache.settings[key] = settings
        return settings
    }

    private func readSettings() throws -> RepositorySettings {
        guard let configBytes = try data("webjcase.yaml") else {
            throw CaseError(.repoNotCaseRepository, ["path": git.gitDirectory, "missing": "webjcase.yaml"])
        }
        let config = try Self.checkConfig(configBytes, file: "webjcase.yaml")
        guard let policyBytes = try data("trust/policy.yaml") else {
            throw CaseError(.repoNotCaseRepository, ["path": git.gitDirectory, "missing": "trust/policy.yaml"])
        }
        let (policy, keys) = try PolicyFile.check(policyBytes, file: "trust/policy.yaml")
        if policy.mode == .production, let root = try testRoots().first {
            throw CaseError(.certificateTestRoot, ["file": root, "detail": TestPKI.testRootOrganization], status: .ruleBroken)
        }
        return RepositorySettings(config: config, policy: policy, policyBytes: policyBytes, keys: keys)
    }

    /// The certificate roots and revocation lists of this tree, for judging X.509 chains.
    func certificateTrust(_ policy: Policy) throws -> CertificateTrust {
        guard let cache else { return try readCertificateTrust(policy) }
        let issuers = (policy.applicants?.xcaIssuers).map { "\($0)" } ?? "-"
        let key = "\(policy.mode.rawValue):\(issuers):" + [try id("trust/roots"), try id("trust/crl")].map { $0?.hex ?? "-" }.joined(separator: ":")
        if let known = cache.trust[key] { return known }
        let trust = try readCertificateTrust(policy)
        cache.trust[key] = trust
        return trust
    }

    private func readCertificateTrust(_ policy: Policy) throws -> CertificateTrust {
        var roots: [String] = []
        for entry in try names("trust/roots") where entry.name.hasSuffix(".pem") {
            if let bytes = try data("trust/roots/\(entry.name)") { roots.append(String(decoding: bytes, as: UTF8.self)) }
        }
        var crls: [Data] = []
        for entry in try names("trust/crl") where entry.name.hasSuffix(".crl") {
            if let bytes = try data("trust/crl/\(entry.name)") { crls.append(bytes) }
        }
        do {
            return try CertificateTrust(rootsPEM: roots, crls: crls, production: policy.mode == .production,
                                        identity: ApplicantIdentityPolicy(policy: policy))
        } catch let error as SigningError {
            throw CaseError(error.message(file: "trust/"), status: .ruleBroken)
        }
    }

    /// The PEM texts of `trust/roots/*.pem` and of `trust/ca/*.pem` (the issuing CAs).
    func authorityPEMs() throws -> (roots: [String], issuing: [String]) {
        func read(_ directory: String) throws -> [String] {
            try names(directory).filter { $0.name.hasSuffix(".pem") }.compactMap { entry in
                try data("\(directory)/\(entry.name)").map { String(decoding: $0, as: UTF8.self) }
            }
        }
        return (try read("trust/roots"), try read("trust/ca"))
    }

    /// The tree's roots and issuing CAs, as the trust rules read them.
    func authorities() throws -> TrustAuthorities {
        let (roots, issuing) = try authorityPEMs()
        return TrustAuthorities(rootsPEM: roots, issuingPEM: issuing)
    }

    /// The paths of test roots (made by `webjcase pki test-ca`) under `trust/roots`.
    func testRoots() throws -> [String] {
        try names("trust/roots").compactMap { entry in
            let path = "trust/roots/\(entry.name)"
            guard entry.name.hasSuffix(".pem"), let bytes = try data(path),
                  TestPKI.isTestRoot(certificatePEM: String(decoding: bytes, as: UTF8.self)) else { return nil }
            return path
        }
    }

    /// Reads `webjcase.yaml`: this format version, a valid jurisdiction name.
    static func checkConfig(_ bytes: Data, file: String) throws -> RepositoryConfig {
        let config = try StrictYAML.decode(RepositoryConfig.self, from: bytes, file: file)
        for (field, found, expected) in [("kind", config.kind, "repository"), ("format", "\(config.format)", "\(formatVersion)")] where found != expected {
            throw CaseError(.repoFormat, ["file": file, "field": field, "found": found, "expected": expected])
        }
        if let tolerance = config.clockToleranceSeconds, !(0...86_400).contains(tolerance) {
            throw CaseError(.repoFormat, ["file": file, "field": "clockToleranceSeconds", "found": "\(tolerance)",
                                         "expected": "0 to 86400"])
        }
        guard NodeName.isValid(config.jurisdiction) else {
            throw CaseError(.repoFormat, ["file": file, "field": "jurisdiction", "found": config.jurisdiction,
                                         "expected": "2 to 16 lowercase letters and digits"])
        }
        return config
    }

    /// A case's `case.yaml`, last step and paths, or nil when the case does not exist.
    func caseState(_ id: CaseID) throws -> CaseState? {
        let directory = id.directory
        // A case's directory tree names its whole state: read once per version.
        guard let entry = try entry(directory), entry.mode.isTree else { return nil }
        if let known = cache?.cases[entry.id] { return known.state }
        guard let caseFile = try caseFile(directory + "/case.yaml") else { return nil }
        var paths = Set<String>([directory + "/case.yaml"])
        for sub in ["steps", "documents", "attachments"] {
            for entry in try names(directory + "/" + sub) { paths.insert("\(directory)/\(sub)/\(entry.name)") }
        }
        let steps = try self.steps(directory)
        let state = CaseState(caseFile: caseFile.file, directory: directory, lastStep: steps.last?.document,
                              lastDigest: steps.last?.digest ?? caseFile.digest, paths: paths,
                              history: steps.map(\.document.action), steps: steps.map(\.document))
        cache?.cases[entry.id] = (state, steps.last?.sequence)
        return state
    }

    /// The case's state with the number in the file name of its last step (nil: no step),
    /// when it was read or carried in this run.
    func cachedCase(_ id: CaseID) throws -> (state: CaseState, lastSequence: Int?)? {
        guard let cache, let entry = try entry(id.directory), entry.mode.isTree else { return nil }
        return cache.cases[entry.id]
    }

    /// A `case.yaml` and its digest, read once per blob.
    func caseFile(_ path: String) throws -> (file: CaseFile, digest: String)? {
        guard let entry = try entry(path), !entry.mode.isTree else { return nil }
        if let known = cache?.caseFiles[entry.id] { return known }
        let bytes = try git.blob(entry.id)
        let read = (try StrictYAML.decode(CaseFile.self, from: bytes, file: path), Digest.prefixed(bytes))
        cache?.caseFiles[entry.id] = read
        return read
    }

    /// Every case id in this tree.
    func caseIDs() throws -> [CaseID] {
        var ids: [CaseID] = []
        for year in try names("cases") {
            for node in try names("cases/\(year.name)") {
                for entry in try names("cases/\(year.name)/\(node.name)") {
                    if let id = CaseID(entry.name) { ids.append(id) }
                }
            }
        }
        return ids.sorted()
    }

    /// The cases of `organization` in this tree, for the cross-case rules. With a cache,
    /// the organizations' index of an earlier tree is brought up to this one by comparing
    /// the two `cases/` trees by object id; without one, every case.yaml is read.
    func organizationCases(_ organization: String) throws -> [OrganizationCase] {
        let ids = try organizationIndex()[organization] ?? []
        return try ids.sorted().compactMap { id in
            guard let state = try caseState(id) else { return nil }
            return OrganizationCase(id: id, steps: state.steps)
        }
    }

    /// Organization → its case ids, for this tree.
    func organizationIndex() throws -> [String: Set<CaseID>] {
        let casesTree = try id("cases")
        guard let cache else { return try scanOrganizations() }
        if let known = cache.organizations, known.tree == casesTree { return known.index }
        var index: [String: Set<CaseID>]
        if let known = cache.organizations, let from = known.tree, let to = casesTree {
            index = known.index
            try apply(git.changes(from: from, to: to), above: "cases/", to: &index)
        } else {
            index = try scanOrganizations()
        }
        cache.organizations = (casesTree, index)
        return index
    }

    /// Brings the cached organizations' index from this tree to `after` by the changes
    /// between the two (a commit's own changes, already compared), so that a replay never
    /// compares `cases/` trees again. Does nothing unless the cache holds this tree's index;
    /// drops it when a case file does not read (the next use then reads it again and says why).
    func advanceOrganizations(to after: Snapshot, changes: [PathChange]) throws {
        guard let cache, let from = cache.organizations?.tree, from == (try id("cases")) else { return }
        // Taken out of the cache, so that it is changed in place: a copy of the index of
        // every organization for each case opened was 3% of verify at 10,000 cases.
        var index = cache.organizations?.index ?? [:]
        cache.organizations = nil
        do {
            try after.apply(changes, above: "", to: &index)
            cache.organizations = (try after.id("cases"), index)
        } catch is CaseError {
            cache.organizations = nil
        }
    }

    /// Moves the cases whose `case.yaml` changed between organizations. A change's path
    /// in the tree is `above` + its path; the new case files are read from this tree.
    private func apply(_ changes: [PathChange], above: String, to index: inout [String: Set<CaseID>]) throws {
        let name = "case.yaml".utf8
        for change in changes where change.path.utf8.count >= name.count && change.path.utf8.suffix(name.count).elementsEqual(name) {
            let path = above + change.path
            let parts = path.split(separator: "/")
            guard parts.count == 5, parts[0] == "cases", parts[4] == "case.yaml", let id = CaseID(String(parts[3])) else { continue }
            if let old = change.oldID {
                let previous = try cache?.caseFiles[old]?.file
                    ?? StrictYAML.decode(CaseFile.self, from: git.blob(old), file: path)
                index[previous.organization]?.remove(id)
            }
            if change.newID != nil, let file = try caseFile(path) {
                index[file.file.organization, default: []].insert(id)
            }
        }
    }

    private func scanOrganizations() throws -> [String: Set<CaseID>] {
        var index: [String: Set<CaseID>] = [:]
        for id in try caseIDs() {
            guard let file = try caseFile(id.directory + "/case.yaml") else { continue }
            index[file.file.organization, default: []].insert(id)
        }
        return index
    }

    /// The office calendars of this tree (`calendar/<year>.yaml`).
    func calendar() throws -> OfficeCalendar {
        guard let cache else { return try readCalendar() }
        let key = try id("calendar")
        if let known = cache.calendars[key] { return known }
        let calendar = try readCalendar()
        cache.calendars[key] = calendar
        return calendar
    }

    private func readCalendar() throws -> OfficeCalendar {
        var files: [CalendarFile] = []
        for entry in try names("calendar") {
            guard case .calendar = RepositoryPath("calendar/\(entry.name)"),
                  let file = try decode(CalendarFile.self, "calendar/\(entry.name)") else { continue }
            files.append(file)
        }
        return OfficeCalendar(files)
    }

    /// The case's step documents in order, with their digests.
    func steps(_ directory: String) throws -> [(path: String, sequence: Int, document: StepDocument, digest: String)] {
        var found: [(Int, String, TreeEntry)] = []
        for entry in try names(directory + "/steps") {
            let path = "\(directory)/steps/\(entry.name)"
            if case .step(_, let sequence, _, false) = RepositoryPath(path) { found.append((sequence, path, entry)) }
        }
        return try found.sorted { $0.0 < $1.0 }.map { sequence, path, entry in
            // Steps never change once committed: each blob is decoded once per run.
            if let known = cache?.steps[entry.id] { return (path, sequence, known.document, known.digest) }
            let bytes = entry.mode.isTree ? Data() : try git.blob(entry.id)
            let read = (document: try StrictYAML.decode(StepDocument.self, from: bytes, file: path), digest: Digest.prefixed(bytes))
            cache?.steps[entry.id] = read
            return (path, sequence, read.document, read.digest)
        }
    }
}

/// What one run of the validator (a `verify`, a push, a `step`) has read, keyed by object
/// id: content-addressed, so never stale. Settings, calendars and trust are parsed once
/// per version; steps and case files once per blob; the organizations' index follows
/// the `cases/` tree from commit to commit. Used from one thread.
package final class SnapshotCache {
    var settings: [SettingsKey: RepositorySettings] = [:]
    /// By the object id of `calendar/` (nil: absent).
    var calendars: [ObjectID?: OfficeCalendar] = [:]
    var trust: [String: CertificateTrust] = [:]
    var caseFiles = BoundedCache<ObjectID, (file: CaseFile, digest: String)>(limit: 8_192)
    var steps = BoundedCache<ObjectID, (document: StepDocument, digest: String)>(limit: 4_096)
    /// Case states by the object id of the case's directory tree, with the number of the
    /// last step's file; only those used lately are kept.
    var cases = BoundedCache<ObjectID, (state: CaseState, lastSequence: Int?)>(limit: 2_048)
    /// Entries looked up ahead (by a signature batch), by tree and path; nil: known absent.
    var entries: [EntryKey: TreeEntry?] = [:]
    var organizations: (tree: ObjectID?, index: [String: Set<CaseID>])?
    /// The caches of the other jurisdictions' repositories a hub holds, by git directory.
    var elsewhere: [String: SnapshotCache] = [:]
    /// Their receipt chains read as (received, tip) (nil: no receipts), by git directory.
    var receipts: [String: [(at: Date, tip: ObjectID)]?] = [:]

    init() {}
}

/// The files the settings are read from, by object id (nil: absent).
struct SettingsKey: Hashable {
    let config: ObjectID?
    let policy: ObjectID?
    let roots: ObjectID?
}

/// A path in a tree.
struct EntryKey: Hashable {
    let tree: ObjectID
    let path: String
}

