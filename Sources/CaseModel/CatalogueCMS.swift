/// What is said about detached CMS signatures (`<doc>.p7s`) of applicant documents, in both languages.
extension Catalogue {
    static let cmsEntries: [MessageID: LocalizedText] = [
        .cmsMalformed: t("{file}: its CMS signature is not accepted ({detail}). Sign the document again with the card software or `openssl cms -sign -binary -outform DER` (detached, exactly one signer, SHA-256, the signer's certificate embedded) and put it beside the document as <document>.p7s.",
                         "{file}：其 CMS 簽章不被接受（{detail}）。請以憑證卡軟體或 `openssl cms -sign -binary -outform DER` 重新簽署（分離式、僅一位簽署者、SHA-256、內含簽署者憑證），並置於文件旁，命名為 <文件>.p7s。"),
        .cmsGood: t("{file}: good CMS signature ({signature}) by {subject} for organization {organization} (certificate {fingerprint}, issued by {issuer}), valid at the signing time.",
                    "{file}：{subject} 代表機關團體 {organization} 之 CMS 簽章（{signature}）有效（憑證 {fingerprint}，簽發者 {issuer}），於簽署時間有效。"),
        .ruleCMSSigningTime: t("{path}: the CMS signature's signingTime {signingTime} differs from the form's signedAt {signedAt} by more than {tolerance} s; recorded. The certificate was judged at signedAt.",
                               "{path}：CMS 簽章之簽署時間屬性 {signingTime} 與表單 signedAt {signedAt} 相差超過 {tolerance} 秒；予以記錄。憑證係以 signedAt 判斷。"),
    ]
}
