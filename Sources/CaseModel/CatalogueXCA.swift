/// Organization ids as the XCA issues them, and the XCA's issuer names in the trust policy.
extension Catalogue {
    static let xcaEntries: [MessageID: LocalizedText] = [
        .caseBadXCAOID: t("`{value}` cannot be the organization's XCA OID (xcaOID): it must be an OID as the XCA certificate carries it in attribute 2.16.886.1.100.2.102 (dotted numbers without leading zeros, first 0, 1 or 2, e.g. 2.16.886.111.100001.1.2), other than the case's organization {organization}. Copy it from the organization's certificate, or leave it out.",
                          "「{value}」不能作為機關團體的 XCA 物件識別碼（xcaOID）：須為 XCA 憑證屬性 2.16.886.1.100.2.102 所載之物件識別碼（以點分隔、不含前導零之數字，首段為 0、1 或 2，例如 2.16.886.111.100001.1.2），且不同於本案機關團體代碼 {organization}。請自該機關團體憑證抄錄，或省略之。"),
        .signatureOrganization: t("{file}: signed for the organization {organization}, the id its XCA certificate carries.",
                                  "{file}：以機關團體 {organization} 名義簽署，與其 XCA 憑證所載代碼相符。"),
        .policyApplicantIssuer: t("{file}: applicants.xcaIssuers entry {number} is not an issuer name: it must be a non-empty list of oid and value attributes, each oid a dotted OID (e.g. 2.5.4.10) and each value non-empty text, and the list of names must not be empty. Correct the policy and have the admins sign it again.",
                                  "{file}：applicants.xcaIssuers 第 {number} 項不是簽發者名稱：須為非空的 oid 與 value 屬性清單，oid 為以點分隔之物件識別碼（例如 2.5.4.10），value 為非空文字，且名稱清單不得為空。請更正政策並由管理者重新簽署。"),
    ]
}
