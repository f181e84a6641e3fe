import CaseModel
import Foundation
import SwiftASN1
import X509

/// One attribute of a distinguished name, e.g. `2.5.4.10` = `行政院`: the type in dotted form (C 2.5.4.6, O 2.5.4.10,
/// OU 2.5.4.11, CN 2.5.4.3) and its text, as the policy writes it.
public typealias NameAttribute = Policy.NameAttribute

/// Policy settings for applicant identity (DESIGN §3): where the organization id sits and who issues applicant certificates.
public struct ApplicantIdentityPolicy: Sendable, Hashable {
    /// The attribute of subjectDirectoryAttributes (2.5.29.9) holding the organization id.
    public var organizationIDAttribute: String
    /// The issuer names that count as the XCA: an applicant certificate's issuer must be one of them exactly.
    public var issuers: [[NameAttribute]]

    public init(organizationIDAttribute: String = XCAIdentity.organizationIDAttribute, issuers: [[NameAttribute]] = [XCAIdentity.issuerName]) {
        self.organizationIDAttribute = organizationIDAttribute
        self.issuers = issuers
    }

    /// The settings of a trust policy: its `applicants.xcaIssuers`, else the XCA's name.
    public init(policy: Policy) {
        self.init(issuers: policy.applicants?.xcaIssuers ?? [XCAIdentity.issuerName])
    }

    /// The XCA settings: attribute 2.16.886.1.100.2.102, issuer `C=TW, O=行政院, OU=組織及團體憑證管理中心`.
    public static let xca = ApplicantIdentityPolicy()
}

/// Reading an organization's identity from an XCA (組織及團體憑證管理中心) certificate.
public enum XCAIdentity {
    /// subjectDirectoryAttributes.
    public static let subjectDirectoryAttributesOID = "2.5.29.9"
    /// The attribute holding the organization id (a policy setting; this is its default).
    public static let organizationIDAttribute = "2.16.886.1.100.2.102"
    /// `C=TW, O=行政院, OU=組織及團體憑證管理中心`.
    public static let issuerName: [NameAttribute] = [
        NameAttribute(oid: "2.5.4.6", value: "TW"),
        NameAttribute(oid: "2.5.4.10", value: "行政院"),
        NameAttribute(oid: "2.5.4.11", value: "組織及團體憑證管理中心"),
    ]

    /// The organization id in a PEM certificate's subjectDirectoryAttributes, nil when absent; a malformed extension, several
    /// values, or a value that is not UTF8String, PrintableString or IA5String is refused (.malformedCertificate).
    public static func organizationID(certificatePEM: String, attribute: String = organizationIDAttribute) throws -> String? {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw SigningError(.malformedCertificate, detail: "not a PEM certificate")
        }
        return try organizationID(in: certificate, attribute: attribute)
    }

    static func organizationID(in certificate: Certificate, attribute: String) throws(SigningError) -> String? {
        guard let wanted = try? ASN1ObjectIdentifier(dotRepresentation: attribute) else {
            throw SigningError(.malformedCertificate, detail: "attribute \(attribute.prefix(60)) is not an OID")
        }
        guard let ext = certificate.extensions[oid: try! ASN1ObjectIdentifier(dotRepresentation: subjectDirectoryAttributesOID)] else {
            return nil
        }
        do {
            var found: [String] = []
            let root = try DER.parse(ext.value)
            try DER.sequence(root, identifier: .sequence) { attributes in
                while let attributeNode = attributes.next() {
                    try DER.sequence(attributeNode, identifier: .sequence) { nodes in
                        let type = try ASN1ObjectIdentifier(derEncoded: &nodes)
                        guard let valuesNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no values") }
                        guard valuesNode.identifier == .set, case .constructed(let values) = valuesNode.content else {
                            throw ASN1Error.unexpectedFieldType(valuesNode.identifier)
                        }
                        guard type == wanted else { return }
                        for value in values {
                            found.append(try text(value))
                        }
                    }
                }
            }
            guard found.count <= 1 else {
                throw SigningError(.malformedCertificate, detail: "\(found.count) organization ids")
            }
            guard let id = found.first, !id.isEmpty else { return found.isEmpty ? nil : "" }
            return id
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.malformedCertificate, detail: "subjectDirectoryAttributes does not parse")
        }
    }

    /// UTF8String, PrintableString or IA5String.
    private static func text(_ node: ASN1Node) throws -> String {
        switch node.identifier {
        case .utf8String:
            return String(try ASN1UTF8String(derEncoded: node))
        case .printableString:
            return String(try ASN1PrintableString(derEncoded: node))
        case .ia5String:
            return String(try ASN1IA5String(derEncoded: node))
        default:
            throw SigningError(.malformedCertificate, detail: "organization id encoded as \(node.identifier)")
        }
    }

    /// Whether `name` is exactly `expected` (same attributes, same order, same text whatever the string type).
    static func nameMatches(_ name: DistinguishedName, _ expected: [NameAttribute]) -> Bool {
        let flat = name.flatMap { rdn in rdn.map { ($0.type.description, String($0.value)) } }
        guard flat.count == expected.count else { return false }
        return zip(flat, expected).allSatisfy { pair in
            pair.0.0 == pair.1.oid && pair.0.1 == pair.1.value
        }
    }

    /// A DistinguishedName from attributes (C and serial-like values as PrintableString when possible, others UTF8String).
    static func distinguishedName(_ attributes: [NameAttribute]) throws -> DistinguishedName {
        try DistinguishedName(attributes.map { attribute in
            let oid = try ASN1ObjectIdentifier(dotRepresentation: attribute.oid)
            if attribute.oid == "2.5.4.6" {
                return RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: oid, printableString: attribute.value))
            }
            return RelativeDistinguishedName(RelativeDistinguishedName.Attribute(type: oid, utf8String: attribute.value))
        })
    }

    /// A subjectDirectoryAttributes extension holding one attribute with one value, as an XCA certificate carries it.
    static func subjectDirectoryAttributes(attribute: String, value: String, encoding: ASN1Identifier = .utf8String) throws -> Certificate.Extension {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: attribute))
                try coder.appendConstructedNode(identifier: .set) { coder in
                    switch encoding {
                    case .printableString: try coder.serialize(try ASN1PrintableString(value))
                    case .ia5String: try coder.serialize(try ASN1IA5String(value))
                    default: try coder.serialize(ASN1UTF8String(value))
                    }
                }
            }
        }
        return Certificate.Extension(oid: try ASN1ObjectIdentifier(dotRepresentation: subjectDirectoryAttributesOID), critical: false, value: coder.serializedBytes[...])
    }
}
