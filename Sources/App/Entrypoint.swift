import Foundation
import Logging
import Vapor

/// What the `ungcuu` executable runs: read the configuration (failing fast on a bad variable),
/// configure, then run the requested subcommand.
public enum Entrypoint {
    public static func main() async {
        var env: Vapor.Environment
        do {
            env = try Vapor.Environment.detect()
            try LoggingSystem.bootstrap(from: &env)
        } catch {
            FileHandle.standardError.write(Data("ungcuu: \(error)\n".utf8))
            exit(2)
        }
        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("ungcuu: \(error.description)\n".utf8))
            exit(2)
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("ungcuu: \(error)\n".utf8))
            exit(1)
        }
        var status: Int32 = 0
        do {
            try await configure(app, config: config)
            try await app.execute()
        } catch let exit as ExitCode {
            status = exit.code
        } catch {
            app.logger.report(error: error)
            status = 1
        }
        try? await app.asyncShutdown()
        exit(status)
    }
}
