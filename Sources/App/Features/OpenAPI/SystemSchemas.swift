import Foundation
import Domain

/// Schemas of the information-system API, with enumerations taken from the Domain types so they cannot drift.
enum SystemSchemas {
    typealias JSON = OpenAPIDocument.JSON
    static func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> JSON where E.RawValue == String {
        ["type": "string", "enum": E.allCases.map(\.rawValue)]
    }

    static var all: JSON {
        let o = OpenAPIDocument.self
        let string = o.string, uuid = o.uuid, time = o.time
        let integer: JSON = ["type": "integer"]
        let boolean: JSON = ["type": "boolean"]
        let level: JSON = ["type": "integer", "minimum": 1, "maximum": 5]
        let day: JSON = ["type": "string", "format": "date"]
        let strings: JSON = ["type": "array", "items": string]
        func array(_ name: String) -> JSON { ["type": "array", "items": o.ref(name)] }
        let localized = o.object(["vi": string, "en": string], required: ["vi", "en"])
        return [
            "FunctionType": enumeration(FunctionType.self), "InformationClass": enumeration(InformationClass.self),
            "OnlineServiceLevel": enumeration(OnlineServiceLevel.self), "InfrastructureScope": enumeration(InfrastructureScope.self),
            "IndustrialControl": enumeration(IndustrialControlCriticality.self), "Lifecycle": enumeration(LifecycleStatus.self),
            "Hosting": enumeration(HostingKind.self), "DossierState": enumeration(DossierState.self),
            "DossierTransition": enumeration(DossierTransition.self), "ControlStatus": enumeration(ControlStatus.self),
            "PlanStatus": enumeration(PlanStatus.self), "ObligationState": enumeration(ObligationState.self),
            "Component": o.object(["id": uuid, "name": string, "vendor": o.nullable(string), "product": o.nullable(string), "version": o.nullable(string),
                                   "cpe": o.nullable(string), "level": o.nullable(level)], required: ["id", "name"]),
            "ComponentList": array("Component"),
            "ComponentInput": o.object(["name": string, "vendor": string, "product": string, "version": string,
                                        "cpe": ["type": "string", "description": "CPE 2.3 formatted string"], "level": level]),
            "System": o.object([
                "id": uuid, "agencyId": uuid, "code": string, "name": string, "ownerName": string, "operatorName": string, "purpose": o.nullable(string),
                "functionType": o.ref("FunctionType"), "informationClasses": array("InformationClass"), "personalDataSubjects": integer,
                "onlineServiceLevel": o.ref("OnlineServiceLevel"), "conditionalBusiness": boolean, "infrastructureScope": o.ref("InfrastructureScope"),
                "industrialControl": o.ref("IndustrialControl"), "operates24x7": boolean, "nationalEGovernment": boolean, "storesNationalData": boolean,
                "nationalImportant": boolean, "lifecycle": o.ref("Lifecycle"), "goLiveDate": o.nullable(day), "hosting": o.ref("Hosting"),
                "hostingProvider": o.nullable(string), "networkAddresses": strings, "domains": strings, "urls": strings,
                "contactName": o.nullable(string), "contactPhone": o.nullable(string), "contactEmail": o.nullable(string),
                "proposedLevel": o.nullable(level), "approvedLevel": o.nullable(level), "approvedAt": o.nullable(day),
                "needsRedetermination": boolean, "redeterminationFields": strings, "revision": integer, "updatedAt": o.nullable(time),
                "components": o.nullable(array("Component")),
            ], required: ["id", "agencyId", "code", "name", "functionType", "informationClasses", "lifecycle", "needsRedetermination"]),
            "SystemPage": o.page("System"),
            "SystemInput": o.object([
                "agencyId": uuid, "code": string, "name": string, "ownerName": string, "operatorName": string, "purpose": string,
                "functionType": o.ref("FunctionType"), "informationClasses": array("InformationClass"),
                "personalDataSubjects": ["type": "integer", "minimum": 0, "maximum": 100_000_000], "onlineServiceLevel": o.ref("OnlineServiceLevel"),
                "conditionalBusiness": boolean, "infrastructureScope": o.ref("InfrastructureScope"), "industrialControl": o.ref("IndustrialControl"),
                "operates24x7": boolean, "nationalEGovernment": boolean, "storesNationalData": boolean, "nationalImportant": boolean,
                "lifecycle": o.ref("Lifecycle"), "goLiveDate": day, "hosting": o.ref("Hosting"), "hostingProvider": string,
                "networkAddresses": strings, "domains": strings, "urls": strings, "contactName": string, "contactPhone": string, "contactEmail": string,
            ]),
            "Revision": o.object(["number": integer, "changedAt": time, "changedBy": string, "action": string,
                                  "changes": ["type": "array", "items": o.object(["field": string, "before": o.nullable(string), "after": o.nullable(string)])]],
                                 required: ["number", "changedAt", "changes"]),
            "RevisionList": array("Revision"),
            "Dossier": o.object([
                "id": uuid, "state": o.ref("DossierState"), "proposedLevel": level, "computedLevel": level, "ruleId": string, "ruleVersion": string,
                "justification": o.nullable(string), "appraisingBody": o.nullable(string), "approvingBody": o.nullable(string),
                "decisionNumber": o.nullable(string), "decisionDate": o.nullable(day), "createdAt": o.nullable(time),
                "evaluation": o.nullable(o.ref("LevelProposal")),
                "steps": ["type": "array", "items": o.object(["transition": string, "from": string, "to": string, "actor": string,
                                                              "comment": o.nullable(string), "at": time])],
            ], required: ["id", "state", "proposedLevel", "ruleId", "ruleVersion"]),
            "DossierList": array("Dossier"),
            "DossierInput": o.object(["proposedLevel": level, "justification": string]),
            "DossierTransitionInput": o.object(["transition": o.ref("DossierTransition"), "comment": string, "decisionNumber": string, "decisionDate": day],
                                               required: ["transition"]),
            "Controls": o.object(["level": o.nullable(level), "planStatus": o.ref("PlanStatus"), "percent": integer,
                                  "controls": ["type": "array", "items": o.object([
                                      "controlId": uuid, "code": string, "group": string, "firstLevel": level, "title": string,
                                      "status": o.ref("ControlStatus"), "effectiveDate": o.nullable(day), "justification": o.nullable(string),
                                      "evidenceLinks": strings])]], required: ["planStatus", "percent", "controls"]),
            "ControlAssessmentInput": o.object(["status": o.ref("ControlStatus"), "effectiveDate": day, "justification": string, "evidenceLinks": strings],
                                               required: ["status"]),
            "Obligation": o.object(["dutyId": string, "subjectKind": string, "subjectId": uuid, "agencyId": o.nullable(uuid), "state": o.ref("ObligationState"),
                                    "dueAt": o.nullable(time), "title": string, "explanation": string, "basis": string, "ruleId": string, "ruleVersion": string],
                                   required: ["dutyId", "subjectId", "state", "ruleId", "ruleVersion"]),
            "ObligationList": array("Obligation"),
            "ObligationPage": o.page("Obligation"),
            "ClassificationInput": o.object([
                "name": string, "functionType": o.ref("FunctionType"), "informationClasses": array("InformationClass"),
                "personalDataSubjects": ["type": "integer", "minimum": 0, "maximum": 100_000_000], "onlineServiceLevel": o.ref("OnlineServiceLevel"),
                "conditionalBusiness": boolean, "infrastructureScope": o.ref("InfrastructureScope"), "industrialControl": o.ref("IndustrialControl"),
                "operates24x7": boolean, "nationalEGovernment": boolean, "storesNationalData": boolean, "nationalImportant": boolean,
                "components": ["type": "array", "items": o.object(["name": string, "level": level], required: ["name", "level"])],
            ], required: ["functionType", "informationClasses"]),
            "LevelProposal": o.object([
                "level": level, "criteriaLevel": level, "componentLevel": o.nullable(level), "ruleId": string, "ruleVersion": string,
                "uncertain": boolean, "decidingCriteria": strings,
                "criteria": ["type": "array", "items": o.object([
                    "id": string, "level": level, "article": localized, "title": localized, "applies": boolean,
                    "reasons": ["type": "array", "items": localized],
                    "confidence": ["type": "string", "enum": Confidence.allCases.map(\.rawValue)], "note": o.nullable(localized),
                ], required: ["id", "level", "applies", "reasons", "confidence"])],
            ], required: ["level", "criteriaLevel", "ruleId", "ruleVersion", "criteria"]),
        ]
    }
}
