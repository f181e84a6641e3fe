/// Applicant documents (DESIGN §3): the forms of the seed's annexes and letters, signed by
/// the organization with its XCA certificate. They cannot name a case (the applicant signs
/// before the agency opens one): they name the `organization` and the applicant's own
/// reference (`application`), and state their signing time (`signedAt`). The step that
/// brings one in lists its sha256, which binds it to the case. Personal fields are salted
/// commitments, as in every signed document.
public enum ApplicantForm: Sendable, Equatable {
    case annex1(Annex1)
    case annex2(Annex2)
    case annex3(Annex3)
    case annex4(Annex4)
    case annex5(Annex5)
    case annex6(Annex6)
    case annex8(Annex8)
    case letter(Letter)

    /// The `kind:` of each form and the annex it is.
    public static let kinds: [String: Int?] = [
        "annex-1": 1, "annex-2": 2, "annex-3": 3, "annex-4": 4, "annex-5": 5, "annex-6": 6, "annex-8": 8, "letter": nil,
    ]

    /// The Swift type of the form `kind` names.
    public static func type(for kind: String) -> (any ApplicantDocument.Type)? {
        switch kind {
        case "annex-1": Annex1.self
        case "annex-2": Annex2.self
        case "annex-3": Annex3.self
        case "annex-4": Annex4.self
        case "annex-5": Annex5.self
        case "annex-6": Annex6.self
        case "annex-8": Annex8.self
        case "letter": Letter.self
        default: nil
        }
    }

    public init?(_ value: any ApplicantDocument) {
        switch value {
        case let v as Annex1: self = .annex1(v)
        case let v as Annex2: self = .annex2(v)
        case let v as Annex3: self = .annex3(v)
        case let v as Annex4: self = .annex4(v)
        case let v as Annex5: self = .annex5(v)
        case let v as Annex6: self = .annex6(v)
        case let v as Annex8: self = .annex8(v)
        case let v as Letter: self = .letter(v)
        default: return nil
        }
    }

    public var document: any ApplicantDocument {
        switch self {
        case .annex1(let v): v
        case .annex2(let v): v
        case .annex3(let v): v
        case .annex4(let v): v
        case .annex5(let v): v
        case .annex6(let v): v
        case .annex8(let v): v
        case .letter(let v): v
        }
    }
}

/// What every applicant document states.
public protocol ApplicantDocument: Sendable, Codable {
    var kind: String { get }
    var format: Int { get }
    /// The organization id its XCA certificate carries.
    var organization: String { get }
    /// The applicant's own reference: its letter's number and date.
    var application: LetterReference { get }
    var signedAt: Timestamp { get }
    /// Its personal fields, in order.
    var personalFields: [PersonalField] { get }
    /// The same document with each personal field replaced.
    func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Self
}

extension ApplicantDocument {
    public var personalFields: [PersonalField] { [] }
    public func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Self { self }
}

/// A contact person at the organization: every field personal.
public struct Contact: Sendable, Codable, Equatable {
    public var name: PersonalField
    public var phone: PersonalField
    public var email: PersonalField?

    var fields: [PersonalField] { [name, phone] + (email.map { [$0] } ?? []) }

    func mapping(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Contact {
        Contact(name: try transform(name), phone: try transform(phone), email: try email.map(transform))
    }
}

/// Annex 1: the registration and connection application form (登記暨介接申請表), also the
/// cover of a change, pause or cancellation (point 5).
public struct Annex1: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var request: Request
    /// The organization's registered name.
    public var organizationName: String
    /// The authority it is registered with (its competent authority).
    public var registeredWith: String
    public var address: String
    public var contact: Contact
    /// For a change: what changes, in the applicant's words.
    public var changes: String?

    public enum Request: String, Sendable, Codable, CaseIterable { case registration, change, pause, cancel }

    public var personalFields: [PersonalField] { contact.fields }
    public func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Annex1 {
        var copy = self
        copy.contact = try contact.mapping(transform)
        return copy
    }
}

/// Annex 2: the personal-data collection notice and the user's consent.
public struct Annex2: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    /// The notice's version the organization read.
    public var noticeVersion: String
    public var consent: Bool
    /// Who consented for the organization.
    public var representative: PersonalField

    public var personalFields: [PersonalField] { [representative] }
    public func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Annex2 {
        var copy = self
        copy.representative = try transform(representative)
        return copy
    }
}

/// Annex 3: the System usage agreement.
public struct Annex3: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var agreementVersion: String
    public var agreed: Bool
}

/// Annex 4: the terminal-level information-security self-assessment.
public struct Annex4: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var answers: [Answer]

    public struct Answer: Sendable, Codable, Equatable {
        public var item: Int
        public var compliant: Bool
        public var note: String?
    }
}

/// Annex 5: the G2B2C information service centre electronic exchange connection application.
public struct Annex5: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    /// The exchange software or service the organization connects with.
    public var system: String
    public var technicalContact: Contact
    public var personalFields: [PersonalField] { technicalContact.fields }
    public func mappingPersonalFields(_ transform: (PersonalField) throws -> PersonalField) rethrows -> Annex5 {
        var copy = self
        copy.technicalContact = try technicalContact.mapping(transform)
        return copy
    }
}

/// Annex 6: the G2B2C connection change form (point 5).
public struct Annex6: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var changes: [Change]

    public struct Change: Sendable, Codable, Equatable {
        public var field: String
        public var from: String?
        public var to: String?
    }
}

/// Annex 8, the user's part: how each item of the improvement notice was handled.
public struct Annex8: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var items: [StepData.ItemHandling]
}

/// A letter (函) from the organization.
public struct Letter: ApplicantDocument, Equatable {
    public var kind: String
    public var format: Int
    public var organization: String
    public var application: LetterReference
    public var signedAt: Timestamp
    public var subject: String
    public var body: String?
}
