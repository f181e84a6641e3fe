import Foundation
import Testing
import CaseModel

@Suite struct VerdictTests {
    /// Accepted means no refusal: records alone accept, one refusal among them does not.
    @Test func aVerdictIsAcceptedWithoutRefusals() {
        let record = Finding(rule: "S-RECEIPT-DELAY", severity: .record, message: Message(.ruleReceiptDelay, [:]))
        let refusal = Finding(rule: "S-REF", severity: .refuse, message: Message(.ruleRefNotMain, [:]))
        #expect(Verdict([]).isAccepted)
        #expect(Verdict([record]).isAccepted)
        #expect(!Verdict([record, refusal]).isAccepted)
        #expect(Verdict([record, refusal]).refusals == [refusal])
        #expect(Verdict([record, refusal]).findings == [record, refusal])
    }
}
