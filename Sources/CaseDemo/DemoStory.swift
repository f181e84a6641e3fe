import CaseModel
import CaseYAML
import Foundation

/// The story `webjcase demo` plays, as data: the cast (keys and roles of the policy), then
/// chapters of beats. Decoded strictly from `DemoStory.text` (unknown keys refused), then
/// checked as a whole, so that a bad story stops before the hub starts, naming the beat.
public struct DemoStory: Decodable, Sendable {
    /// The demo's clock at set-up (keys, policy, hub, clones).
    public let start: String
    public let cast: [Member]
    public let chapters: [Chapter]

    /// The node clones the demo makes, `nodes/<node>/<jurisdiction>`, by the names beats use.
    public static let clones: [String] = ["edu1", "social1", "centre/edu", "centre/social"]

    /// The place named in errors about the embedded story.
    public static let fileName = "Sources/CaseDemo/DemoStoryText.swift"

    public struct Member: Decodable, Sendable {
        public let name: String
        public let role: String
        public let jurisdiction: String?
    }

    public struct Chapter: Decodable, Sendable {
        /// A `demo.chapter.*` message of the catalogue: the chapter's heading.
        public let title: String
        public let beats: [Entry]
    }

    /// One beat as written: exactly one of its fields is present (`beat` says which).
    public struct Entry: Decodable, Sendable {
        public let open: Open?
        public let step: Step?
        public let sync: Sync?
        public let showOrganization: ShowOrganization?
        public let showDue: ShowDue?
        public let trustTestXCA: TrustTestXCA?
        public let applicantSigns: ApplicantSigns?

        /// The beat, when exactly one field is present.
        public var beat: Beat? {
            let present: [Beat] = [open.map(Beat.open), step.map(Beat.step), sync.map(Beat.sync),
                                   showOrganization.map(Beat.showOrganization), showDue.map(Beat.showDue),
                                   trustTestXCA.map(Beat.trustTestXCA), applicantSigns.map(Beat.applicantSigns)].compactMap { $0 }
            return present.count == 1 ? present[0] : nil
        }

        var kinds: [String] {
            [("open", open != nil), ("step", step != nil), ("sync", sync != nil), ("showOrganization", showOrganization != nil),
             ("showDue", showDue != nil), ("trustTestXCA", trustTestXCA != nil), ("applicantSigns", applicantSigns != nil)]
                .filter(\.1).map(\.0)
        }
    }

    public enum Beat: Sendable {
        case open(Open)
        case step(Step)
        case sync(Sync)
        case showOrganization(ShowOrganization)
        case showDue(ShowDue)
        case trustTestXCA(TrustTestXCA)
        case applicantSigns(ApplicantSigns)

        /// The key the beat is written under.
        public var kind: String {
            switch self {
            case .open: "open"
            case .step: "step"
            case .sync: "sync"
            case .showOrganization: "showOrganization"
            case .showDue: "showDue"
            case .trustTestXCA: "trustTestXCA"
            case .applicantSigns: "applicantSigns"
            }
        }

        /// When the beat happens, as written.
        public var at: String {
            switch self {
            case .open(let beat): beat.at
            case .step(let beat): beat.at
            case .sync(let beat): beat.at
            case .showOrganization(let beat): beat.at
            case .showDue(let beat): beat.at
            case .trustTestXCA(let beat): beat.at
            case .applicantSigns(let beat): beat.at
            }
        }
    }

    /// Opens a case of `kind` for `org` on `clone`; later beats name it `name`.
    public struct Open: Decodable, Sendable {
        public let name: String
        public let kind: String
        public let org: String
        public let clone: String
        public let signer: String
        public let at: String
        public let data: String
    }

    /// Records `action` on the case opened as `case`; with `expect`, the step must be refused by that rule.
    public struct Step: Decodable, Sendable {
        public let `case`: String
        public let action: String
        public let clone: String
        public let signer: String
        public let at: String
        public let annexes: [Int]?
        public let documents: [Document]?
        public let expect: String?
        public let data: String
    }

    /// A form an `applicantSigns` beat of `organization` signed, carried as annex `annex`.
    public struct Document: Decodable, Sendable {
        public let annex: Int
        public let organization: String
    }

    public struct Sync: Decodable, Sendable {
        public let clone: String
        public let at: String
    }

    public struct ShowOrganization: Decodable, Sendable {
        public let organization: String
        public let clone: String
        public let at: String
        /// Sync the clone at the same time first.
        public let syncFirst: Bool?
    }

    public struct ShowDue: Decodable, Sendable {
        public let clone: String
        public let at: String
    }

    /// The `admins`, in turn, sign the change of trust that adds the test XCA; the last reaches the threshold.
    public struct TrustTestXCA: Decodable, Sendable {
        public let admins: [String]
        public let clone: String
        public let at: String
    }

    /// The organization signs `form` (its Annex 1) on its card.
    public struct ApplicantSigns: Decodable, Sendable {
        public let organization: String
        public let at: String
        public let form: String
    }

    /// The story shipped in the binary, decoded and checked.
    public static func embedded() throws -> DemoStory { try load(text, file: fileName) }

    /// Decodes `text` strictly and checks it; errors name `file` and the beat.
    public static func load(_ text: String, file: String) throws -> DemoStory {
        let story = try StrictYAML.decode(DemoStory.self, from: Data(text.utf8), file: file)
        try story.check(file: file)
        return story
    }

    /// A time as the demo's clock holds it: `YYYY-MM-DDTHH:MM` is Taipei time; a full
    /// ISO 8601 time with its offset stays as written. Nil when it is not a time.
    public static func clockTime(_ text: String) -> String? {
        let full = text.count == 16 ? text + ":00+08:00" : text
        return instant(full) == nil ? nil : full
    }

    static func instant(_ full: String) -> Date? {
        guard full.count == 25 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: full)
    }

    /// The story holds together: every beat is one kind; cases are opened (under a new name)
    /// before beats use them; clones, signers and chapter titles exist; kinds and actions are
    /// the model's; carried forms were signed before; times are times and, within a chapter,
    /// never go backwards.
    public func check(file: String) throws {
        var names: [String: String] = [:]
        var signed: Set<String> = []
        let people = cast.map(\.name)
        guard Self.clockTime(start) != nil else {
            throw CaseError(.demoStoryStart, ["file": file, "time": start])
        }
        let titles = MessageID.allCases.map(\.rawValue).filter { $0.hasPrefix("demo.chapter.") }
            .filter { $0 != MessageID.demoChapterSetUp.rawValue && $0 != MessageID.demoChapterRecords.rawValue }
        for (chapterIndex, chapter) in chapters.enumerated() {
            guard titles.contains(chapter.title) else {
                throw CaseError(.demoStoryUnknownChapter, ["file": file, "chapter": "\(chapterIndex + 1)", "title": chapter.title,
                                                            "titles": titles.joined(separator: ", ")])
            }
            var previous: (time: String, instant: Date)?
            for (beatIndex, entry) in chapter.beats.enumerated() {
                var place = ["file": file, "chapter": "\(chapterIndex + 1)", "beat": "\(beatIndex + 1)"]
                guard let beat = entry.beat else {
                    place["kinds"] = entry.kinds.isEmpty ? "—" : entry.kinds.joined(separator: ", ")
                    throw CaseError(.demoStoryBeatKinds, place)
                }
                place["what"] = beat.kind
                guard let time = Self.clockTime(beat.at), let instant = Self.instant(time) else {
                    throw CaseError(.demoStoryBadTime, place.merging(["time": beat.at]) { a, _ in a })
                }
                if let previous, instant < previous.instant {
                    throw CaseError(.demoStoryTimeBackwards, place.merging(["time": beat.at, "previous": previous.time]) { a, _ in a })
                }
                previous = (beat.at, instant)
                func clone(_ name: String) throws {
                    guard Self.clones.contains(name) else {
                        throw CaseError(.demoStoryUnknownClone, place.merging(["clone": name, "clones": Self.clones.joined(separator: ", ")]) { a, _ in a })
                    }
                }
                func person(_ name: String) throws {
                    guard people.contains(name) else {
                        throw CaseError(.demoStoryUnknownSigner, place.merging(["signer": name, "cast": people.joined(separator: ", ")]) { a, _ in a })
                    }
                }
                switch beat {
                case .open(let open):
                    try clone(open.clone)
                    try person(open.signer)
                    guard CaseKind(rawValue: open.kind) != nil else {
                        throw CaseError(.demoStoryBadKind, place.merging(["kind": open.kind,
                                                                          "kinds": CaseKind.allCases.map(\.rawValue).joined(separator: ", ")]) { a, _ in a })
                    }
                    guard names[open.name] == nil else {
                        throw CaseError(.demoStoryDuplicateName, place.merging(["name": open.name]) { a, _ in a })
                    }
                    names[open.name] = open.kind
                case .step(let step):
                    try clone(step.clone)
                    try person(step.signer)
                    guard let kind = names[step.case].flatMap(CaseKind.init(rawValue:)) else {
                        throw CaseError(.demoStoryUnknownName, place.merging(["name": step.case]) { a, _ in a })
                    }
                    guard let action = Action(rawValue: step.action), action != .open, action.applies(to: kind) else {
                        let actions = Action.allCases.filter { $0 != .open && $0.applies(to: kind) }.map(\.rawValue)
                        throw CaseError(.demoStoryBadAction, place.merging(["action": step.action, "kind": kind.rawValue,
                                                                            "actions": actions.joined(separator: ", ")]) { a, _ in a })
                    }
                    for document in step.documents ?? [] where !signed.contains(document.organization) {
                        throw CaseError(.demoStoryUnsignedForm, place.merging(["organization": document.organization]) { a, _ in a })
                    }
                case .sync(let sync):
                    try clone(sync.clone)
                case .showOrganization(let show):
                    try clone(show.clone)
                case .showDue(let show):
                    try clone(show.clone)
                case .trustTestXCA(let trust):
                    try clone(trust.clone)
                    for admin in trust.admins { try person(admin) }
                case .applicantSigns(let signs):
                    signed.insert(signs.organization)
                }
            }
        }
    }
}
