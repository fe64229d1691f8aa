import Testing

@testable import RealTimeEngine

@Suite struct ProcessMappingTests {
    @Test func parsesAFileMapping() throws {
        let line = "7f21cfa1e000-7f21cfa44000 r-xp 00028000 fe:01 1835245  /usr/lib/x86_64-linux-gnu/libc.so.6"
        let mapping = try #require(ProcessMapping(mapsLine: line[...]))
        #expect(mapping.startAddress == 0x7f21_cfa1_e000)
        #expect(mapping.endAddress == 0x7f21_cfa4_4000)
        #expect(mapping.byteCount == 0x26000)
        #expect(mapping.readable && !mapping.writable && mapping.executable && !mapping.shared)
        #expect(mapping.fileOffsetBytes == 0x28000)
        #expect(mapping.path == "/usr/lib/x86_64-linux-gnu/libc.so.6")
        #expect(mapping.fileName == "libc.so.6")
        #expect(!mapping.isAnonymous && !mapping.isKernelProvided && mapping.isAccessible)
    }

    @Test func parsesAnonymousAndKernelMappings() throws {
        let anonymous = try #require(ProcessMapping(mapsLine: "7f0000000000-7f0000041000 rw-p 00000000 00:00 0 "[...]))
        #expect(anonymous.path == "" && anonymous.isAnonymous && anonymous.fileName == "")
        let heap = try #require(ProcessMapping(mapsLine: "55d0a000-55d0c000 rw-p 00000000 00:00 0   [heap]"[...]))
        #expect(heap.isAnonymous && !heap.isKernelProvided)
        let vvar = try #require(ProcessMapping(mapsLine: "7ffd1000-7ffd5000 r--p 00000000 00:00 0   [vvar]"[...]))
        #expect(vvar.isKernelProvided && !vvar.isAnonymous)
        let guardPage = try #require(ProcessMapping(mapsLine: "7f00-8f00 ---p 00000000 00:00 0"[...]))
        #expect(!guardPage.isAccessible)
        let shared = try #require(ProcessMapping(mapsLine: "1000-2000 rw-s 00000000 00:05 9 /dev/shm/x"[...]))
        #expect(shared.shared && shared.writable)
    }

    @Test func keepsSpacesAndTheDeletedSuffixInPaths() throws {
        let line = "1000-3000 r--p 00001000 08:01 42      /opt/my board/lib x.so (deleted)"
        let mapping = try #require(ProcessMapping(mapsLine: line[...]))
        #expect(mapping.path == "/opt/my board/lib x.so (deleted)")
        #expect(mapping.fileName == "lib x.so (deleted)")
    }

    @Test(arguments: [
        "",
        "1000-2000 r-xp 00000000 08:01",  // no inode
        "1000 r-xp 00000000 08:01 42 /lib",  // no end address
        "2000-1000 r-xp 00000000 08:01 42 /lib",  // end before start
        "1000-1000 r-xp 00000000 08:01 42 /lib",  // empty range
        "10g0-2000 r-xp 00000000 08:01 42 /lib",  // not hex
        "1000-2000 rwx 00000000 08:01 42 /lib",  // three permission letters
        "1000-2000 rwxq 00000000 08:01 42 /lib",  // neither private nor shared
        "1000-2000 xwrp 00000000 08:01 42 /lib",  // letters out of place
        "1000-2000 r-xp zz 08:01 42 /lib",  // offset not hex
    ])
    func rejectsMalformedLines(_ line: String) {
        #expect(ProcessMapping(mapsLine: line[...]) == nil)
    }

    @Test func readsThisProcessesOwnMaps() throws {
        let mappings = try ProcessMaps.readOwn()
        #expect(mappings.count > 10)
        for (earlier, later) in zip(mappings, mappings.dropFirst()) {
            #expect(earlier.endAddress <= later.startAddress, "maps lists disjoint ranges in address order")
        }
        var local = 7
        let stackAddress = withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }
        let stack = try #require(mappings.first { $0.contains(stackAddress) })
        #expect(stack.isAnonymous && stack.writable)
        let heapObject = [UInt8](repeating: 1, count: 100)
        let heapAddress = heapObject.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(mappings.contains { $0.contains(heapAddress) && $0.isAnonymous })
    }
}
