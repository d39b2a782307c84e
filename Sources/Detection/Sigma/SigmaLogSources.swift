import Foundation

/// Windows log-source mappings: what pySigma's `sysmon_pipeline()` + `windows_logsource_pipeline()`
/// add to a rule (the reference the agreement script compares with), plus Security event 4688 for
/// process creation.
public enum SigmaWindowsLogSources {
    /// Sysmon event ids of the generic categories (pySigma `sysmon_generic_logsource_eventid_mapping`).
    public static let sysmonCategories: [String: [Int]] = [
        "process_creation": [1], "file_change": [2], "network_connection": [3], "sysmon_status": [4, 16],
        "process_termination": [5], "driver_load": [6], "image_load": [7], "create_remote_thread": [8],
        "raw_access_thread": [9], "process_access": [10], "file_event": [11], "registry_add": [12],
        "registry_delete": [12], "registry_set": [13], "registry_rename": [14], "registry_event": [12, 13, 14],
        "create_stream_hash": [15], "pipe_created": [17, 18], "wmi_event": [19, 20, 21], "dns_query": [22],
        "file_delete": [23], "clipboard_capture": [24], "process_tampering": [25], "file_delete_detected": [26],
        "file_block_executable": [27], "file_block_shredding": [28], "file_executable_detected": [29],
        "sysmon_error": [255],
    ]

    /// PowerShell categories (pySigma `windows_generic_category_channel_mapping`): service and event id.
    public static let powershellCategories: [String: (service: String, eventID: Int)] = [
        "ps_module": ("powershell", 4103), "ps_script": ("powershell", 4104),
        "ps_classic_start": ("powershell-classic", 400), "ps_classic_provider_start": ("powershell-classic", 600),
        "ps_classic_script": ("powershell-classic", 800),
    ]

    /// Services to channels (pySigma `windows_logsource_mapping`).
    public static let serviceChannels: [String: [String]] = [
        "security": ["Security"], "application": ["Application"], "system": ["System"],
        "sysmon": ["Microsoft-Windows-Sysmon/Operational"],
        "powershell": ["Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"],
        "powershell-classic": ["Windows PowerShell"],
        "taskscheduler": ["Microsoft-Windows-TaskScheduler/Operational"],
        "wmi": ["Microsoft-Windows-WMI-Activity/Operational"],
        "dns-server": ["DNS Server"], "dns-server-audit": ["Microsoft-Windows-DNS-Server/Audit"],
        "dns-server-analytic": ["Microsoft-Windows-DNS-Server/Analytical"],
        "driver-framework": ["Microsoft-Windows-DriverFrameworks-UserMode/Operational"],
        "ntlm": ["Microsoft-Windows-NTLM/Operational"], "dhcp": ["Microsoft-Windows-DHCP-Server/Operational"],
        "msexchange-management": ["MSExchange Management"],
        "applocker": ["Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL",
                      "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"],
        "printservice-admin": ["Microsoft-Windows-PrintService/Admin"],
        "printservice-operational": ["Microsoft-Windows-PrintService/Operational"],
        "codeintegrity-operational": ["Microsoft-Windows-CodeIntegrity/Operational"],
        "smbclient-security": ["Microsoft-Windows-SmbClient/Security"],
        "firewall-as": ["Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"],
        "bits-client": ["Microsoft-Windows-Bits-Client/Operational"],
        "windefend": ["Microsoft-Windows-Windows Defender/Operational"],
        "terminalservices-localsessionmanager": ["Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"],
        "servicebus-client": ["Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"],
        "microsoft-servicebus-client": ["Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"],
        "ldap": ["Microsoft-Windows-LDAP-Client/Debug"], "ldap_debug": ["Microsoft-Windows-LDAP-Client/Debug"],
        "security-mitigations": ["Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"],
        "diagnosis-scripted": ["Microsoft-Windows-Diagnosis-Scripted/Operational"],
        "shell-core": ["Microsoft-Windows-Shell-Core/Operational"], "openssh": ["OpenSSH/Operational"],
        "bitlocker": ["Microsoft-Windows-BitLocker/BitLocker Management"], "vhdmp": ["Microsoft-Windows-VHDMP/Operational"],
        "appxdeployment-server": ["Microsoft-Windows-AppXDeploymentServer/Operational"],
        "lsa-server": ["Microsoft-Windows-LSA/Operational"], "appxpackaging-om": ["Microsoft-Windows-AppxPackaging/Operational"],
        "dns-client": ["Microsoft-Windows-DNS Client Events/Operational"],
        "appmodel-runtime": ["Microsoft-Windows-AppModel-Runtime/Admin"], "capi2": ["Microsoft-Windows-CAPI2/Operational"],
        "certificateservicesclient-lifecycle-system": ["Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"],
        "application-experience": ["Microsoft-Windows-Application-Experience/Program-Telemetry",
                                   "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"],
        "hyper-v-worker": ["Microsoft-Windows-Hyper-V-Worker"], "iis-configuration": ["Microsoft-IIS-Configuration/Operational"],
        "kernel-event-tracing": ["Microsoft-Windows-Kernel-EventTracing"],
        "kernel-shimengine": ["Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"],
        "ntfs": ["Microsoft-Windows-Ntfs/Operational"], "sense": ["Microsoft-Windows-SENSE/Operational"],
    ]

    /// Process creation in Security event 4688: Sysmon event 1 field → where its value is in 4688.
    /// Fields of Sysmon event 1 not listed here have no 4688 counterpart and are absent there.
    public static let security4688Fields: [String: String] = [
        "Image": "NewProcessName",
        "ParentImage": "ParentProcessName",
        "CommandLine": "CommandLine",
        "LogonId": "SubjectLogonId",
        "User": "SubjectDomainName\\SubjectUserName",
        "IntegrityLevel": "MandatoryLabel (S-1-16-4096 Low, 8192 Medium, 8448 MediumPlus, 12288 High, 16384 System)",
    ]

    /// The fields of Sysmon event 1 (process creation). In the 4688 form of a rule, those not mapped
    /// above are absent — including `ProcessId`, which 4688 has with another meaning (the creator, in hex).
    static let sysmonProcessCreationFields: Set<String> = [
        "rulename", "utctime", "processguid", "processid", "image", "fileversion", "description", "product",
        "company", "originalfilename", "commandline", "currentdirectory", "user", "logonguid", "logonid",
        "terminalsessionid", "integritylevel", "hashes", "parentprocessguid", "parentprocessid", "parentimage",
        "parentcommandline", "parentuser",
    ]
}

/// Where a rule's field is read from in one log-source form of the rule.
enum SigmaFieldSource: Hashable {
    case field(String)
    /// `SubjectDomainName\SubjectUserName` (4688's account in Sysmon's `User` shape).
    case domainUser(domain: String, user: String)
    /// 4688's `MandatoryLabel` SID as Sysmon's `IntegrityLevel` name.
    case integrityLabel(String)
    case absent
    /// Every value of the event (keyword searches), one such field per rule so that a rule's keyword
    /// scan looks for its own keywords only.
    case allValues(rule: Int32)
}

/// One form of a rule for the engine: the conditions its log source adds, and how its fields are found.
struct SigmaLogSourceForm {
    var conditions: [SigmaExpr]
    var fieldMap: (String) -> SigmaFieldSource
    var isSecurity4688: Bool
    /// The rule is for a product other than Windows: it never applies to a Windows event log record.
    var nonWindowsProduct: Bool
}

enum SigmaLogSourceMapping {
    static func eventIDs(_ ids: [Int]) -> SigmaExpr {
        let leaves = ids.map { SigmaExpr.match(field: "EventID", .number(SigmaNumber(int: Int64($0)))) }
        return leaves.count == 1 ? leaves[0] : .or(leaves)
    }

    static func channels(_ names: [String]) -> SigmaExpr {
        let leaves = names.map { SigmaExpr.match(field: "Channel", .string(SigmaPattern.literal($0))) }
        return leaves.count == 1 ? leaves[0] : .or(leaves)
    }

    static func forms(for ls: SigmaLogSource) -> [SigmaLogSourceForm] {
        let product = ls.product?.lowercased()
        let identity: (String) -> SigmaFieldSource = { .field($0) }
        guard product == "windows" else {
            return [SigmaLogSourceForm(conditions: [], fieldMap: identity, isSecurity4688: false,
                                       nonWindowsProduct: product != nil)]
        }
        let category = ls.category?.lowercased()
        var service = ls.service?.lowercased()
        var conditions: [SigmaExpr] = []
        var forms: [SigmaLogSourceForm] = []
        if let category, let ids = SigmaWindowsLogSources.sysmonCategories[category] {
            conditions.append(eventIDs(ids))
            service = "sysmon"
            if category == "process_creation" {
                forms.append(SigmaLogSourceForm(
                    conditions: [eventIDs([4688]), channels(["Security"])],
                    fieldMap: security4688, isSecurity4688: true, nonWindowsProduct: false))
            }
        } else if let category, let ps = SigmaWindowsLogSources.powershellCategories[category] {
            conditions.append(eventIDs([ps.eventID]))
            service = ps.service
        }
        if let service, let names = SigmaWindowsLogSources.serviceChannels[service] {
            conditions.append(channels(names))
        }
        forms.insert(SigmaLogSourceForm(conditions: conditions, fieldMap: identity, isSecurity4688: false, nonWindowsProduct: false), at: 0)
        return forms
    }

    static func security4688(_ name: String) -> SigmaFieldSource {
        switch name.lowercased() {
        case "image": return .field("NewProcessName")
        case "parentimage": return .field("ParentProcessName")
        case "commandline": return .field("CommandLine")
        case "logonid": return .field("SubjectLogonId")
        case "user": return .domainUser(domain: "SubjectDomainName", user: "SubjectUserName")
        case "integritylevel": return .integrityLabel("MandatoryLabel")
        default:
            return SigmaWindowsLogSources.sysmonProcessCreationFields.contains(name.lowercased()) ? .absent : .field(name)
        }
    }

    /// 4688's mandatory label SIDs, by Sysmon's names.
    static func integrityName(_ sid: String) -> String? {
        switch sid.uppercased() {
        case "S-1-16-0": return "Untrusted"
        case "S-1-16-4096": return "Low"
        case "S-1-16-8192": return "Medium"
        case "S-1-16-8448": return "MediumPlus"
        case "S-1-16-12288": return "High"
        case "S-1-16-16384": return "System"
        case "S-1-16-20480": return "ProtectedProcess"
        default: return nil
        }
    }
}
