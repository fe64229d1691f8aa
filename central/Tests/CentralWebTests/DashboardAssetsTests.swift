import CentralCore
import CentralWeb
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite struct DashboardAssetsTests {
    private func asset(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Assets/\(name)")
        return try String(contentsOf: url.standardized, encoding: .utf8)
    }

    /// What the dashboard serves at each of `uris`, from a server over an empty store.
    private func served(_ uris: [String], cityName: String) async throws -> [String] {
        let path = NSTemporaryDirectory() + "dashboard-test-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        _ = try CentralStore(path: path)  // creates the tables the reader opens
        let server = DashboardServer(
            board: CityBoard(junctions: [], startedMilliseconds: 0), reader: try StoreReader(path: path),
            acknowledgements: try AcknowledgementStore(path: path), storePath: path, staleAfterMilliseconds: 5_000,
            cityName: cityName)
        let application = server.application(host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        return try await application.test(.router) { client in
            var bodies: [String] = []
            for uri in uris {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                bodies.append(String(buffer: response.body))
            }
            return bodies
        }
    }

    @Test func theServedAssetsAreTheFilesInAssets() async throws {
        let bodies = try await served(["/", "/assets/app.js", "/assets/style.css"], cityName: "Cirebon")
        #expect(bodies[0] == (try asset("index.html")).replacingOccurrences(of: "{{CITY}}", with: "Cirebon"))
        #expect(bodies[1] == (try asset("app.js")))
        #expect(bodies[2] == (try asset("style.css")))
    }

    /// `--city` went into the page as typed: `</title><script>…` ran in every operator's browser.
    @Test func theCityNameIsEscapedInThePage() async throws {
        let name = "</title><script>alert('x')</script> & \"Kota\""
        let page = try await served(["/"], cityName: name)[0]
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;/title&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Kota&quot;"))
    }

    @Test func thePageLoadsNothingFromElsewhere() {
        for text in [DashboardAssets.indexHTML, DashboardAssets.appJS, DashboardAssets.styleCSS] {
            #expect(!text.contains("https://"))
            #expect(!text.contains("src=\"//"))
        }
    }
}
