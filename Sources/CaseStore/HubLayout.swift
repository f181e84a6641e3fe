import Foundation

/// Where a hub keeps its repositories, the one place that knows it: under its root, per
/// jurisdiction, `<jurisdiction>.git` (the cases) and `<jurisdiction>.personal.git` (the
/// personal store); a node finds the hub's personal store beside the case repository's URL.
public struct HubLayout: Sendable, Equatable {
    public let root: String

    public init(root: String) { self.root = root }

    /// The layout a hub repository at `gitDirectory` belongs to (its parent directory).
    public init(containing gitDirectory: String) {
        root = URL(fileURLWithPath: gitDirectory).standardizedFileURL.deletingLastPathComponent().path
    }

    public static let caseSuffix = ".git"
    public static let personalSuffix = ".personal.git"

    public static func caseRepositoryName(_ jurisdiction: String) -> String { jurisdiction + caseSuffix }
    public static func personalStoreName(_ jurisdiction: String) -> String { jurisdiction + personalSuffix }

    public func caseRepository(_ jurisdiction: String) -> String {
        (root as NSString).appendingPathComponent(Self.caseRepositoryName(jurisdiction))
    }

    public func personalStore(_ jurisdiction: String) -> String {
        (root as NSString).appendingPathComponent(Self.personalStoreName(jurisdiction))
    }

    /// What a name under the root is: a case repository or a personal store, and whose.
    public enum Entry: Sendable, Equatable {
        case cases(jurisdiction: String)
        case personal(jurisdiction: String)
    }

    public static func entry(_ name: String) -> Entry? {
        if name.hasSuffix(personalSuffix), name.count > personalSuffix.count {
            return .personal(jurisdiction: String(name.dropLast(personalSuffix.count)))
        }
        if name.hasSuffix(caseSuffix), name.count > caseSuffix.count {
            return .cases(jurisdiction: String(name.dropLast(caseSuffix.count)))
        }
        return nil
    }

    /// The names of the case repositories under the root (`edu.git`), sorted.
    public func caseRepositoryNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
            if case .cases = Self.entry($0) { return true }
            return false
        }.sorted()
    }

    /// The jurisdiction a hub repository's directory name says (`<root>/edu.git` → `edu`).
    public static func jurisdiction(ofDirectory gitDirectory: String) -> String {
        let name = URL(fileURLWithPath: gitDirectory).standardizedFileURL.lastPathComponent
        switch entry(name) {
        case .cases(let jurisdiction)?, .personal(let jurisdiction)?: return jurisdiction
        case nil: return name
        }
    }

    /// The case repository beside a personal store (`<root>/edu.personal.git` → `<root>/edu.git`).
    public static func caseRepository(ofPersonalStore gitDirectory: String) -> String? {
        guard case .personal(let jurisdiction)? = entry(URL(fileURLWithPath: gitDirectory).standardizedFileURL.lastPathComponent) else {
            return nil
        }
        return HubLayout(containing: gitDirectory).caseRepository(jurisdiction)
    }

    /// The hub's personal store beside a case repository's URL: `…/edu.git` → `…/edu.personal.git`.
    public static func personalURL(ofCaseURL url: String) -> String {
        url.hasSuffix(caseSuffix) ? String(url.dropLast(caseSuffix.count)) + personalSuffix : url + ".personal"
    }
}
