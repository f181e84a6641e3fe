import Foundation
import CaseModel

/// `webjcase template ACTION`: a filled-in example of the `--data` file for an action.
public enum DataTemplate {
    public static func yaml(for action: Action) throws -> Data {
        let letter = LetterReference(number: "南市教字第1150012345號", date: CalendarDate(year: 2026, month: 3, day: 2)!)
        let date = CalendarDate(year: 2026, month: 3, day: 20)!
        let value: any Encodable = switch StepData.dataType(for: action) {
        case is StepData.Open.Type: StepData.Open(subject: "Registration of the Example Association", letter: letter, note: "optional")
        case is StepData.Submit.Type: StepData.Submit(letter: letter, note: "optional")
        case is StepData.CorrectionRequest.Type: StepData.CorrectionRequest(items: ["Annex 4 is not signed"], correctBy: date, note: "optional")
        case is StepData.Reject.Type: StepData.Reject(reason: .ineligible, note: "The organization is not registered in Tainan City.")
        case is StepData.Transfer.Type: StepData.Transfer(to: "social", note: "The competent authority is the Social Affairs Bureau.")
        case is StepData.Withdraw.Type: StepData.Withdraw(letter: letter, note: "optional")
        default: StepData.Remark(note: "optional")
        }
        return try DocumentWriter.yaml(value)
    }
}
