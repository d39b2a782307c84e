import Foundation
import Domain
import Plot

/// Form fields shared by the registry form and the level wizard, so both ask the same questions the same way.
enum SystemFieldGroups {
    static func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ prefix: String, t: Localizer) -> [(value: String, label: String)]
    where E.RawValue == String {
        E.allCases.map { ($0.rawValue, t("\(prefix).\($0.rawValue)")) }
    }

    /// Step 2 of the Handbook: the information processed.
    static func information(_ input: SystemInput, err: (String) -> String?, t: Localizer) -> [Body] {
        [
            Forms.checkboxGroup(name: "informationClasses", legend: t("systems.informationClasses"),
                                options: choice(InformationClass.self, "infoClass", t: t), checked: Set(input.informationClasses ?? []),
                                error: err("informationClasses"), hint: t("systems.informationClassesHint")),
            Forms.input(.init(name: "personalDataSubjects", label: t("systems.personalDataSubjects"), value: input.personalDataSubjects,
                              error: err("personalDataSubjects"), hint: t("systems.personalDataSubjectsHint"), maxLength: 12)),
        ]
    }

    /// Step 3 of the Handbook: the system's type and the facts the level criteria read.
    static func classification(_ input: SystemInput, err: (String) -> String?, t: Localizer, functionTypeBlank: Bool) -> [Body] {
        func flag(_ name: String, _ value: String?, _ label: String) -> Body {
            Forms.checkbox(name: name, value: "true", label: label, checked: SystemInput.flag(value))
        }
        return [
            Forms.select(name: "functionType", label: t("systems.functionType"), options: choice(FunctionType.self, "functionType", t: t),
                         selected: input.functionType, error: err("functionType"), required: true,
                         includeBlank: functionTypeBlank ? t("common.choose") : nil),
            Forms.select(name: "onlineServiceLevel", label: t("systems.onlineServiceLevel"), options: choice(OnlineServiceLevel.self, "onlineService", t: t),
                         selected: input.onlineServiceLevel ?? "none", error: err("onlineServiceLevel")),
            flag("conditionalBusiness", input.conditionalBusiness, t("systems.conditionalBusiness")),
            Forms.select(name: "infrastructureScope", label: t("systems.infrastructureScope"), options: choice(InfrastructureScope.self, "infraScope", t: t),
                         selected: input.infrastructureScope ?? "none", error: err("infrastructureScope")),
            Forms.select(name: "industrialControl", label: t("systems.industrialControl"), options: choice(IndustrialControlCriticality.self, "ics", t: t),
                         selected: input.industrialControl ?? "none", error: err("industrialControl")),
            flag("operates24x7", input.operates24x7, t("systems.operates24x7")),
            flag("nationalEGovernment", input.nationalEGovernment, t("systems.nationalEGovernment")),
            flag("storesNationalData", input.storesNationalData, t("systems.storesNationalData")),
            flag("nationalImportant", input.nationalImportant, t("systems.nationalImportant")),
        ]
    }
}
