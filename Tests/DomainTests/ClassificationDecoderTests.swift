import Foundation
import Testing
@testable import Domain

@Suite struct ClassificationDecoderTests {
    static func decode(_ json: String) -> Result<ClassificationInput, FieldErrors> {
        ClassificationInputDecoder.decode(Data(json.utf8))
    }

    static func errors(_ json: String) -> [String: String] {
        switch decode(json) {
        case .success(let input): Issue.record("decoded \(input)"); return [:]
        case .failure(let errors): return errors.messages
        }
    }

    @Test func minimalInputGetsTheDefaults() throws {
        let input = try Self.decode(#"{"functionType":"internal","informationClasses":["public"]}"#).get()
        #expect(input == ClassificationInput(functionType: .internal, informationClasses: [.public]))
    }

    @Test func fullInputDecodes() throws {
        let json = """
        {"name":" Cổng dịch vụ công ","functionType":"citizen_business","informationClasses":["public","personal","personal"],
         "personalDataSubjects":12000,"onlineServiceLevel":"full_process","conditionalBusiness":true,
         "infrastructureScope":"none","industrialControl":"none","operates24x7":true,"nationalEGovernment":false,
         "storesNationalData":false,"nationalImportant":false,"components":[{"name":"CSDL","level":3}]}
        """
        let input = try Self.decode(json).get()
        #expect(input.name == "Cổng dịch vụ công")
        #expect(input.informationClasses == [.public, .personal])
        #expect(input.personalDataSubjects == 12_000)
        #expect(input.onlineServiceLevel == .fullProcess)
        #expect(input.conditionalBusiness && input.operates24x7)
        #expect(input.components == [.init(name: "CSDL", level: 3)])
    }

    @Test(arguments: [
        (#"{"functionType":"intern","informationClasses":["public"]}"#, "functionType", "validation.choice"),
        (#"{"informationClasses":["public"]}"#, "functionType", "validation.required"),
        (#"{"functionType":null,"informationClasses":["public"]}"#, "functionType", "validation.required"),
        (#"{"functionType":3,"informationClasses":["public"]}"#, "functionType", "validation.type"),
        (#"{"functionType":"internal"}"#, "informationClasses", "validation.required"),
        (#"{"functionType":"internal","informationClasses":[]}"#, "informationClasses", "validation.required"),
        (#"{"functionType":"internal","informationClasses":"public"}"#, "informationClasses", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public","secret"]}"#, "informationClasses[1]", "validation.choice"),
        (#"{"functionType":"internal","informationClasses":[true]}"#, "informationClasses[0]", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"personalDataSubjects":-1}"#, "personalDataSubjects", "validation.range"),
        (#"{"functionType":"internal","informationClasses":["public"],"personalDataSubjects":100000001}"#, "personalDataSubjects", "validation.range"),
        (#"{"functionType":"internal","informationClasses":["public"],"personalDataSubjects":12.5}"#, "personalDataSubjects", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"personalDataSubjects":"12000"}"#, "personalDataSubjects", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"onlineServiceLevel":"level5"}"#, "onlineServiceLevel", "validation.choice"),
        (#"{"functionType":"internal","informationClasses":["public"],"infrastructureScope":"city"}"#, "infrastructureScope", "validation.choice"),
        (#"{"functionType":"internal","informationClasses":["public"],"industrialControl":"dam"}"#, "industrialControl", "validation.choice"),
        (#"{"functionType":"internal","informationClasses":["public"],"conditionalBusiness":"yes"}"#, "conditionalBusiness", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"operates24x7":1}"#, "operates24x7", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"nationalImportant":"true"}"#, "nationalImportant", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"usercount":5}"#, "usercount", "validation.unknownField"),
        (#"{"functionType":"internal","informationClasses":["public"],"name":7}"#, "name", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":{}}"#, "components", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":"a","level":1},{"name":"b","level":2},{"name":"c","level":6}]}"#, "components[2].level", "validation.range"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":"a","level":0}]}"#, "components[0].level", "validation.range"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":"a","level":"2"}]}"#, "components[0].level", "validation.type"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":"a"}]}"#, "components[0].level", "validation.required"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":" ","level":2}]}"#, "components[0].name", "validation.required"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"level":2}]}"#, "components[0].name", "validation.required"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":[{"name":"a","level":2,"vendor":"x"}]}"#, "components[0].vendor", "validation.unknownField"),
        (#"{"functionType":"internal","informationClasses":["public"],"components":["a"]}"#, "components[0]", "validation.type"),
        (#"{"functionType":"internal","#, "body", "validation.json"),
        (#"[1,2]"#, "body", "validation.type"),
        ("", "body", "validation.json"),
    ])
    func badInputNamesItsField(json: String, field: String, key: String) {
        let errors = Self.errors(json)
        #expect(errors[field] == key, "\(errors)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let errors = Self.errors(#"{"functionType":"x","personalDataSubjects":-5,"extra":1}"#)
        #expect(errors == [
            "functionType": "validation.choice", "informationClasses": "validation.required",
            "personalDataSubjects": "validation.range", "extra": "validation.unknownField",
        ])
    }

    @Test func boundaryValuesAreAccepted() throws {
        let zero = try Self.decode(#"{"functionType":"other","informationClasses":["private"],"personalDataSubjects":0}"#).get()
        #expect(zero.personalDataSubjects == 0)
        let max = try Self.decode(#"{"functionType":"other","informationClasses":["private"],"personalDataSubjects":100000000}"#).get()
        #expect(max.personalDataSubjects == 100_000_000)
        let levels = try Self.decode(#"{"functionType":"other","informationClasses":["private"],"components":[{"name":"a","level":1},{"name":"b","level":5}]}"#).get()
        #expect(levels.components.map(\.level) == [1, 5])
    }

    @Test func nullOptionalFieldsTakeTheirDefaults() throws {
        let input = try Self.decode(#"{"functionType":"other","informationClasses":["private"],"name":null,"onlineServiceLevel":null,"operates24x7":null,"components":null}"#).get()
        #expect(input == ClassificationInput(functionType: .other, informationClasses: [.private]))
    }

    @Test func validateChecksValuesBuiltElsewhere() {
        var input = ClassificationInput(functionType: .internal, informationClasses: [])
        input.personalDataSubjects = -3
        input.components = [.init(name: "ok", level: 2), .init(name: "", level: 9)]
        #expect(ClassificationInputDecoder.validate(input).messages == [
            "informationClasses": "validation.required", "personalDataSubjects": "validation.range",
            "components[1].name": "validation.required", "components[1].level": "validation.range",
        ])
        #expect(ClassificationInputDecoder.validate(ClassificationInput(functionType: .internal, informationClasses: [.public])).isEmpty)
    }
}
