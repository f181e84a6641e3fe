import CaseModel
import CaseRules
import CaseStore

/// The catalogue's words in one language, for the renderers.
struct Words {
    let language: Language

    func callAsFunction(_ id: MessageID, _ arguments: [String: String] = [:]) -> String {
        Catalogue.render(id, arguments, language)
    }

    func kind(_ raw: String) -> String { Catalogue.term("kind", raw, language) }
    func action(_ raw: String) -> String { Catalogue.term("action", raw, language) }
    func state(_ raw: String) -> String { Catalogue.term("state", raw, language) }
    func organization(_ raw: String) -> String { Catalogue.term("org", raw, language) }

    func mark(_ mark: Dossier.Mark) -> String {
        switch mark {
        case .verified: "✓ " + self(.reportMarkVerified)
        case .recorded: "⚠ " + self(.reportMarkRecorded)
        case .refused: "✗ " + self(.reportMarkRefused)
        }
    }

    func result(_ raw: String) -> String {
        raw == "completed" ? self(.reportResultCompleted) : raw == "incomplete" ? self(.reportResultIncomplete) : raw
    }

    func decision(_ row: Dossier.ExtensionRow) -> String {
        guard let granted = row.granted else { return self(.reportPending) }
        return granted ? self(.reportGranted) + (row.until.map { " → \($0)" } ?? "") : self(.reportDenied)
    }

    /// The signer as one line: name (roles).
    func signer(_ signer: Dossier.Signer) -> String {
        let name = signer.name ?? signer.key
        return signer.roles.isEmpty ? name : "\(name) (\(signer.roles.joined(separator: ", ")))"
    }

    /// Whether a form's signing time lies inside its certificate's validity window, in words.
    func validAtSigning(_ certificate: Dossier.Certificate) -> String {
        switch certificate.validAtSigning {
        case true?: "✓ " + self(.reportCertValidAtSigning)
        case false?: "✗ " + self(.reportCertNotValidAtSigning)
        case nil: self(.reportCertNoSigningTime)
        }
    }

    /// The certificate that signed an applicant document, as labelled lines.
    func certificate(_ c: Dossier.Certificate) -> [(String, String)] {
        var lines = [
            (self(.reportCertificate), c.subject),
            (self(.reportCertOrganizationID), c.organizationID ?? self(.reportCertNone)),
            (self(.reportCertIssuer), c.issuer),
            (self(.reportCertSerial), c.serialNumber),
            (self(.reportCertValidity), self(.reportCertValidityRange, ["from": c.notBefore, "to": c.notAfter])),
            (self(.reportCertFormSignedAt), (c.signedAt.map { $0 + " · " } ?? "") + validAtSigning(c)),
            (self(.reportCertForm), c.form == .envelope ? self(.reportCertFormEnvelope) : self(.reportCertFormCMS)),
        ]
        if let time = c.cmsSigningTime { lines.append((self(.reportCertCMSSigningTime), time)) }
        return lines
    }

    /// A period's end as people read it: "by 2026-06-05 (until 24:00)", marked when provisional.
    func period(_ end: PeriodEnd) -> String { end.message.render(language) }

    var htmlLanguage: String { language == .en ? "en" : "zh-Hant-TW" }
}
