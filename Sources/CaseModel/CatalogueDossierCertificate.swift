/// The words a dossier uses for the certificate that signed an applicant document.
extension Catalogue {
    static let dossierCertificateEntries: [MessageID: LocalizedText] = [
        .reportCertOrganizationID: t("Organization id in the certificate", "憑證所載機關團體識別碼"),
        .reportCertIssuer: t("Issuer", "簽發者"),
        .reportCertSerial: t("Serial number", "憑證序號"),
        .reportCertValidity: t("Validity", "有效期間"),
        .reportCertValidityRange: t("{from} to {to}", "自 {from} 至 {to}"),
        .reportCertFormSignedAt: t("Form signed at (signedAt)", "表單簽署時間（signedAt）"),
        .reportCertValidAtSigning: t("certificate valid at that time", "簽署時憑證在有效期間內"),
        .reportCertNotValidAtSigning: t("certificate NOT valid at that time", "簽署時憑證不在有效期間內"),
        .reportCertNoSigningTime: t("the form states no signing time", "表單未載明簽署時間"),
        .reportCertCMSSigningTime: t("CMS signingTime", "CMS 簽署時間屬性"),
        .reportCertForm: t("Signature form", "簽章形式"),
        .reportCertFormEnvelope: t("signature envelope (FILE.sig)", "簽章封套（FILE.sig）"),
        .reportCertFormCMS: t("detached CMS (FILE.p7s)", "分離式 CMS 簽章（FILE.p7s）"),
        .reportCertNone: t("none", "無"),
    ]
}
