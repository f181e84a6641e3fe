/// The version of the on-disk format (docs/format.md) this program reads and writes.
public let formatVersion = 1

/// `case.yaml`: what a case is, written once when it is opened.
public struct CaseFile: Sendable, Codable, Equatable {
    public var kind: String = "case"
    public var format: Int = formatVersion
    public var id: CaseID
    public var organization: String
    public var jurisdiction: String
    /// The node that opened it.
    public var node: String
    /// The organization's id as its XCA certificate carries it (an OID), when the case names
    /// the organization by another id (the one on its letter, e.g. its 統一編號).
    public var xcaOID: String?

    public init(id: CaseID, organization: String, jurisdiction: String, node: String, xcaOID: String? = nil) {
        self.id = id
        self.organization = organization
        self.jurisdiction = jurisdiction
        self.node = node
        self.xcaOID = xcaOID
    }

    /// The ids an applicant document of this case may name: the organization, and its XCA OID.
    public var organizationNames: [String] { [organization] + (xcaOID.map { [$0] } ?? []) }

    enum CodingKeys: String, CodingKey { case kind, format, id, organization, jurisdiction, node, xcaOID }
}

/// A file placed under `attachments/` by a step, named with its digest.
public struct AttachmentReference: Sendable, Codable, Equatable {
    public var name: String
    /// Lowercase hex sha256 of the file's bytes.
    public var sha256: String
    public var size: Int

    public init(name: String, sha256: String, size: Int) {
        self.name = name
        self.sha256 = sha256
        self.size = size
    }
}

/// A step document, `steps/<nnnn>-<action>.yaml`: one act in a case, signed by its actor.
public struct StepDocument: Sendable, Equatable {
    public var kind: String = "step"
    public var format: Int = formatVersion
    public var `case`: CaseID
    /// 1 for `open`, then one more for each step.
    public var sequence: Int
    public var action: Action
    /// The signer's claimed time.
    public var at: Timestamp
    /// The SSH SHA256 fingerprint of the key that signs this document.
    public var actor: String
    /// `sha256:<hex>` of the previous step's bytes, or of `case.yaml` for `open`.
    public var previous: String
    public var data: StepData
    public var attachments: [AttachmentReference]

    public init(case id: CaseID, sequence: Int, action: Action, at: Timestamp, actor: String,
                previous: String, data: StepData, attachments: [AttachmentReference] = []) {
        self.case = id
        self.sequence = sequence
        self.action = action
        self.at = at
        self.actor = actor
        self.previous = previous
        self.data = data
        self.attachments = attachments
    }

    /// The path of this step inside its case directory.
    public var fileName: String { action.fileName(sequence: sequence) }
}

extension StepDocument: Codable {
    enum CodingKeys: String, CodingKey { case kind, format, `case`, sequence, action, at, actor, previous, data, attachments }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        format = try c.decode(Int.self, forKey: .format)
        self.case = try c.decode(CaseID.self, forKey: .case)
        sequence = try c.decode(Int.self, forKey: .sequence)
        action = try c.decode(Action.self, forKey: .action)
        at = try c.decode(Timestamp.self, forKey: .at)
        actor = try c.decode(String.self, forKey: .actor)
        previous = try c.decode(String.self, forKey: .previous)
        let type = StepData.dataType(for: action)
        let value = try c.decode(type, forKey: .data)
        guard let data = StepData(action: action, value: value) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: c, debugDescription: "data does not match action")
        }
        self.data = data
        attachments = try c.decodeIfPresent([AttachmentReference].self, forKey: .attachments) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(format, forKey: .format)
        try c.encode(self.case, forKey: .case)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(action, forKey: .action)
        try c.encode(at, forKey: .at)
        try c.encode(actor, forKey: .actor)
        try c.encode(previous, forKey: .previous)
        try c.encode(data.value, forKey: .data)
        if !attachments.isEmpty { try c.encode(attachments, forKey: .attachments) }
    }
}

/// `webjcase.yaml`: the repository's format version, jurisdiction and limits.
public struct RepositoryConfig: Sendable, Codable, Equatable {
    public var kind: String = "repository"
    public var format: Int
    public var jurisdiction: String
    /// The competent authority's name, e.g. `臺南市政府教育局`.
    public var name: String
    public var attachments: AttachmentLimits
    /// How far a claimed time may run ahead of the validator's clock, and a commit time
    /// differ from it, in seconds (default 300).
    public var clockToleranceSeconds: Int?

    /// The tolerance in force.
    public var clockTolerance: Int { clockToleranceSeconds ?? 300 }

    public init(format: Int, jurisdiction: String, name: String, attachments: AttachmentLimits) {
        self.format = format
        self.jurisdiction = jurisdiction
        self.name = name
        self.attachments = attachments
    }

    public struct AttachmentLimits: Sendable, Codable, Equatable {
        /// File types allowed under `attachments/`, by content: `pdf`, `png`, `jpeg`.
        public var types: [String]
        public var maxFileBytes: Int
        public var maxCommitBytes: Int

        public static let defaults = AttachmentLimits(types: ["pdf", "png", "jpeg"],
                                                      maxFileBytes: 20 << 20, maxCommitBytes: 50 << 20)
    }
}

/// `calendar/<year>.yaml`: the government office calendar of one year.
public struct CalendarFile: Sendable, Codable, Equatable {
    public var kind: String
    public var year: Int
    public var timeZone: String
    public var source: Source
    /// Days off that are not a Saturday or Sunday.
    public var restDays: [Day]
    /// Saturdays and Sundays that are make-up workdays.
    public var workdays: [Day]
    /// Typhoon and other closures (停止上班), recorded by hand.
    public var closures: [Closure]

    public init(kind: String = "calendar", year: Int, timeZone: String = "Asia/Taipei", source: Source,
                restDays: [Day], workdays: [Day], closures: [Closure]) {
        self.kind = kind
        self.year = year
        self.timeZone = timeZone
        self.source = source
        self.restDays = restDays
        self.workdays = workdays
        self.closures = closures
    }

    public struct Source: Sendable, Codable, Equatable {
        public var title: String
        public var publisher: String
        public var status: String
        public var note: String

        public init(title: String, publisher: String, status: String, note: String) {
            self.title = title
            self.publisher = publisher
            self.status = status
            self.note = note
        }
    }

    public struct Day: Sendable, Codable, Equatable {
        public var date: CalendarDate
        public var name: String
        public var nameEn: String

        public init(date: CalendarDate, name: String, nameEn: String) {
            self.date = date
            self.name = name
            self.nameEn = nameEn
        }
    }

    /// A closure of government offices (停止上班) announced for an area, usually for a
    /// typhoon. Only closures of the hub's city count for deadlines (`Closure.countsForDeadlines`).
    public struct Closure: Sendable, Codable, Equatable {
        public var date: CalendarDate
        /// The city or county the closure was announced for, e.g. `臺南市`.
        public var area: String
        public var note: String
        /// Which part of the day offices were closed; absent means the whole day.
        public var part: Part?

        public init(date: CalendarDate, area: String, note: String, part: Part? = nil) {
            self.date = date
            self.area = area
            self.note = note
            self.part = part
        }

        public enum Part: String, Sendable, Codable, CaseIterable {
            /// Closed the whole day.
            case allDay = "all-day"
            /// Closed from noon (下午停止上班): the morning was a working morning.
            case afternoon
        }

        /// The names of the hub's city an `area` may use: only closures announced for the
        /// whole of Tainan City count for deadlines (a district's closure does not close
        /// the city government's offices).
        public static let cityNames: Set<String> = ["臺南市", "台南市", "tainan", "tainan city"]

        /// The hub's city as written in messages.
        public static let city = "臺南市"

        /// Whether this closure closes the offices of the hub's city.
        public var countsForDeadlines: Bool {
            Self.cityNames.contains(area.trimmingCharacters(in: .whitespaces).lowercased())
        }

        /// Whether the whole day is closed (otherwise only the afternoon).
        public var isAllDay: Bool { (part ?? .allDay) == .allDay }
    }
}
