import Foundation
import Domain
import Vapor

/// The routes of the scans feature, registered from `routes(_:)`.
enum ScansRoutes {
    static func register(_ app: Application) {
        // Page uploads are collected (the CSRF check reads the form) within the upload limit; the API streams to disk.
        let pageUpload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        let view = Access.action(.viewProactive)
        let record = Access.action(.recordAssessments)
        let scan = Access.action(.runNetworkScan)
        app.on(.GET, .scans(.index), access: view, use: ScansController.index)
        app.on(.GET, .scans(.new), access: record, use: ScansController.new)
        app.on(.POST, .scans(.new), access: record, body: pageUpload, use: ScansController.upload)
        app.on(.GET, .scans(.nmap), access: scan, use: ScansController.nmapForm)
        app.on(.POST, .scans(.nmap), access: scan, use: ScansController.nmapStart)
        app.on(.GET, .scans(.show(.key)), access: view, use: ScansController.show)
        app.on(.GET, .scans(.state(.key)), access: view, use: ScansController.state)
        app.on(.GET, .scans(.report(.key)), access: view, use: ScansController.report)
        app.on(.POST, .scans(.confirm(.key)), access: record, use: ScansController.confirm)
        app.on(.POST, .scans(.cancel(.key)), access: record, use: ScansController.cancel)

        app.on(.GET, .api(.scans(.list)), access: view, use: ScansAPIController.list)
        app.on(.POST, .api(.scans(.list)), access: record, body: .stream, use: ScansAPIController.upload)
        app.on(.POST, .api(.scans(.nmap)), access: scan, use: ScansAPIController.nmap)
        app.on(.GET, .api(.scans(.one(.key))), access: view, use: ScansAPIController.get)
        app.on(.GET, .api(.scans(.report(.key))), access: view, use: ScansAPIController.report)
        app.on(.POST, .api(.scans(.confirm(.key))), access: record, use: ScansAPIController.confirm)
        app.on(.POST, .api(.scans(.cancel(.key))), access: record, use: ScansAPIController.cancel)
    }
}
