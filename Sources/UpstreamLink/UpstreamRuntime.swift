import Diagnostics
import JunctionConfig
import Logging
import RealTimeEngine
import Store
import SystemInterface
import Wire

/// The daemon's upstream side as one unit: the store, its writer thread, and the reporter and
/// poll-responder thread, started after the control loop and stopped before the daemon exits.
///
/// A store that cannot be opened (a full or read-only disk) does not stop the junction: reports
/// still go out, with the `storeFailing` alarm. A key or socket that cannot be had does, before
/// READY=1, since that is a configuration error.
public final class UpstreamRuntime: Sendable {
    /// Why upstream could not start.
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    private let writer: StoreWriter?
    private let service: UpstreamService
    /// The boot id this run reports under.
    public let bootId: UInt64
    /// The UDP port polls arrive at.
    public let localPort: UInt16
    /// The store's file.
    public let storePath: String

    private init(writer: StoreWriter?, service: UpstreamService, bootId: UInt64, storePath: String) {
        self.writer = writer
        self.service = service
        self.bootId = bootId
        self.storePath = storePath
        localPort = service.localPort
    }

    /// Starts upstream for `configuration` if it has an `[upstream]` section; nil when it has none.
    /// `neighbourCounters` gives the neighbour link's counters for each status report.
    public static func start(
        configuration: JunctionConfiguration, engine: JunctionEngine, loop: RealTimeLoop,
        stateDirectory: String, logger: Logger,
        neighbourCounters: @escaping @Sendable () -> [StatusCounter: UInt64] = { [:] }
    ) throws(StartupError) -> UpstreamRuntime? {
        guard let settings = configuration.upstream else { return nil }
        let key: WireKey
        do {
            key = try loadKey(settings.key)
        } catch {
            throw StartupError(description: "upstream \(error)")
        }
        let storePath = settings.storePath ?? StateFile.path("junctiond.db", in: stateDirectory)
        let retention = StoreRetention(
            maximumAgeDays: settings.retentionDays, maximumBytes: Int64(settings.maximumStoreMegabytes) << 20)
        let wallMicroseconds = UInt64(max(0, StoreWriter.wallMilliseconds())) * 1000

        var bootId = wallMicroseconds
        var marks = StoreMarks()
        var store: JunctionStore?
        var reader: JunctionStore?
        do {
            let opened = try JunctionStore(path: storePath, retention: retention)
            bootId = try opened.startBoot(nowMicroseconds: wallMicroseconds)
            marks = try opened.marks()
            reader = try JunctionStore(path: storePath, retention: retention)
            store = opened
        } catch {
            logger.error("cannot open the store \(storePath): \(error); reporting without it")
        }
        let ledger = UpstreamLedger(marks: marks, storeAvailable: store != nil)
        let configHash = Self.configHash(of: configuration)

        let replayFile = UpstreamReplayFile(directory: stateDirectory)
        let replayState = restoredReplayState(replayFile, startMicroseconds: wallMicroseconds, logger: logger)

        let service: UpstreamService
        do {
            service = try UpstreamService(
                settings: settings, key: key, bootId: bootId, configHash: configHash, engine: engine, ledger: ledger,
                reader: reader, loopOverruns: { loop.statistics().overruns }, replayFile: replayFile,
                replayState: replayState, logger: logger, neighbourCounters: neighbourCounters)
        } catch {
            throw StartupError(description: "cannot open the upstream socket on \(settings.listen): \(error)")
        }
        var writer: StoreWriter?
        if let store {
            writer = StoreWriter(
                store: store, engine: engine, ledger: ledger, settings: settings, bootId: bootId, logger: logger)
        }
        do {
            try writer?.start()
            try service.start()
        } catch {
            writer?.stop()
            throw StartupError(description: "cannot start the upstream threads: \(error)")
        }
        let runtime = UpstreamRuntime(writer: writer, service: service, bootId: bootId, storePath: storePath)
        let centrals = settings.centrals.map(\.description).joined(separator: ", ")
        logger.notice(
            "upstream: junction \(settings.junctionId), boot \(bootId), reporting to \(centrals) from port \(runtime.localPort); store \(storePath) (events through \(marks.eventsLast), acknowledged through \(marks.eventsAcked))")
        return runtime
    }

    /// Upstream as a side service of `junctionctl status`: every counter of the last report pushed
    /// (drops by reason, kernel drops, store errors, resends), by the names docs/protocol.md gives.
    public func serviceReport() -> Diagnostics.StatusReport.Service {
        guard let report = service.lastPushedReport() else {
            return Diagnostics.StatusReport.Service(name: "upstream", state: "starting", counters: [:])
        }
        var counters: [String: UInt64] = [:]
        for counter in StatusCounter.allCases { counters[counter.name] = report[counter] }
        let state = report.alarms.contains(.storeFailing) ? "store-failing"
            : report.alarms.contains(.centralSilent) ? "central-silent" : "reporting"
        return Diagnostics.StatusReport.Service(name: "upstream", state: state, counters: counters)
    }

    /// Reports the reloaded file's digest from the next status report on. The socket, key, store and
    /// centrals are made once, at start: a changed `[upstream]` waits for a restart (the daemon
    /// says so, `DaemonServices.configurationApplied`).
    public func configurationApplied(_ configuration: JunctionConfiguration) {
        service.replaceConfigHash(Self.configHash(of: configuration))
    }

    /// `config_hash`: the digest of the text the loader checked.
    private static func configHash(of configuration: JunctionConfiguration) -> UInt64 {
        ConfigDigest.hash(of: Array(configuration.source.utf8))
    }

    /// Stops reporting, then commits what is left (the partial count bin included) and closes the store.
    public func stop() {
        service.stop()
        writer?.stop()
    }

    /// The previous run's replay windows. A damaged or unreadable record is not taken as "nothing
    /// accepted yet": centrals are then heard only from a boot that began after this start, so no
    /// poll captured before the restart can be answered again.
    private static func restoredReplayState(
        _ file: UpstreamReplayFile, startMicroseconds: UInt64, logger: Logger
    ) -> ReplayState {
        switch file.load() {
        case .missing:
            return ReplayState()
        case .restored(let state):
            return state
        case .unusable(let reason):
            logger.error(
                "upstream: the replay state \(file.path) cannot be used (\(reason)); polls are refused until a central restarts (boot id above \(startMicroseconds))")
            return ReplayState(minimumBootId: startMicroseconds + 1)
        }
    }

    /// The key `source` names (`key` or `key_file`, as `[upstream]` and `[[neighbours.junction]]`
    /// give it). A key file is read as `KeyFile` reads it: a regular file only, never blocking.
    public static func loadKey(_ source: UpstreamSettings.KeySource) throws(StartupError) -> WireKey {
        let text: String
        let origin: String
        switch source {
        case .hex(let hex):
            (text, origin) = (hex, "key")
        case .file(let path):
            do {
                text = try KeyFile.text(at: path)
            } catch {
                throw StartupError(description: "\(error)")
            }
            origin = "key file \(path)"
        }
        do {
            return try WireKey(hex: text)
        } catch {
            throw StartupError(description: "\(origin): \(error)")
        }
    }
}
