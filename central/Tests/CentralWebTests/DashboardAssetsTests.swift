import CentralWeb
import Foundation
import Testing

@Suite struct DashboardAssetsTests {
    private func asset(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Assets/\(name)")
        return try String(contentsOf: url.standardized, encoding: .utf8)
    }

    @Test func theEmbeddedAssetsAreTheFilesInAssets() throws {
        // embed-assets.sh copies each file whole; a difference means it was not run after an edit.
        #expect(DashboardAssets.indexHTML == (try asset("index.html")).dropLast().description)
        #expect(DashboardAssets.appJS == (try asset("app.js")).dropLast().description)
        #expect(DashboardAssets.styleCSS == (try asset("style.css")).dropLast().description)
    }

    @Test func thePageLoadsNothingFromElsewhere() {
        for text in [DashboardAssets.indexHTML, DashboardAssets.appJS, DashboardAssets.styleCSS] {
            #expect(!text.contains("https://"))
            #expect(!text.contains("src=\"//"))
        }
    }
}
