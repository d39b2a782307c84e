import Foundation
import Vapor

/// The paths of the scans feature; a case of SiteURL.
enum ScansURL: Sendable, Equatable {
    /// Scanner reports imported into visible systems (`?system=&state=`).
    case index
    /// Upload form (`?systemId=`) and upload.
    case new
    /// The built-in nmap scan of a system (`?systemId=`): form and start.
    case nmap
    case show(Param)
    /// State and progress of an import as JSON, for the page's poller.
    case state(Param)
    /// Keeping the chosen hosts of a report that named hosts outside the system's addresses.
    case confirm(Param)
    /// Stopping a running built-in scan.
    case cancel(Param)
    /// The stored report file.
    case report(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["scans"]
        case .new: ["scans", "new"]
        case .nmap: ["scans", "nmap"]
        case .show(let p): ["scans", p.component]
        case .state(let p): ["scans", p.component, "state.json"]
        case .confirm(let p): ["scans", p.component, "confirm"]
        case .cancel(let p): ["scans", p.component, "cancel"]
        case .report(let p): ["scans", p.component, "report"]
        }
    }

    enum API: Sendable, Equatable {
        /// GET the list; POST an upload (`?systemId=&format=&keepHosts=`).
        case list
        /// POST: start a built-in nmap scan.
        case nmap
        case one(Param)
        case confirm(Param)
        case cancel(Param)
        case report(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["scans"]
            case .nmap: ["scans", "nmap"]
            case .one(let p): ["scans", p.component]
            case .confirm(let p): ["scans", p.component, "confirm"]
            case .cancel(let p): ["scans", p.component, "cancel"]
            case .report(let p): ["scans", p.component, "report"]
            }
        }
    }
}
