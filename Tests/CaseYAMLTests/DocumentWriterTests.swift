import Foundation
import Testing
import CaseModel
@testable import CaseYAML

@Suite struct DocumentWriterTests {
    @Test func stepDocumentsRoundTripThroughTheStrictReader() throws {
        let id = try #require(CaseID("REG-2026-edu1-0001"))
        let at = try #require(Timestamp("2026-03-02T10:15:00+08:00"))
        let letter = LetterReference(number: "南市教字第1150012345號", date: try #require(CalendarDate("2026-03-01")))
        let samples: [StepData] = [
            .open(.init(subject: "NO", letter: letter, note: "1.10")),
            .correctionRequest(.init(items: ["Annex 4: the self-assessment is unsigned", "true"], correctBy: try #require(CalendarDate("2026-03-20")))),
            .reject(.init(reason: .falseStatement, note: "見附件: 偽造之印鑑 # not a comment")),
            .transfer(.init(to: "social", note: "- looks like a list\n  and two lines")),
        ]
        for (index, data) in samples.enumerated() {
            let action: Action = [.open, .initialCorrection, .initialReject, .initialTransfer][index]
            let step = StepDocument(case: id, sequence: index + 1, action: action, at: at, actor: "SHA256:abc",
                                    previous: "sha256:" + String(repeating: "0", count: 64), data: data,
                                    attachments: [AttachmentReference(name: "scan.pdf", sha256: String(repeating: "a", count: 64), size: 12)])
            let bytes = try DocumentWriter.yaml(step)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("&") || !text.contains("*"), "no anchors or aliases")
            #expect(!text.contains("!!"), "no tags")
            let back = try StrictYAML.decode(StepDocument.self, from: bytes, file: "step.yaml")
            #expect(back == step, "\(text)")
        }
    }

    @Test func writesChineseAsText() throws {
        let file = CaseFile(id: try #require(CaseID("REG-2026-edu1-0001")), organization: "12345678", jurisdiction: "edu", node: "edu1")
        let text = String(decoding: try DocumentWriter.yaml(StepData.Open(subject: "臺南市某協會申請")), as: UTF8.self)
        #expect(text.contains("臺南市某協會申請"))
        let caseText = String(decoding: try DocumentWriter.yaml(file), as: UTF8.self)
        #expect(caseText.hasPrefix("kind: case\n"))
        #expect(try StrictYAML.decode(CaseFile.self, from: Data(caseText.utf8), file: "case.yaml") == file)
    }
}
