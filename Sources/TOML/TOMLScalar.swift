/// Reads one number, date or time token, as TOML 1.0 writes them: integers in decimal (no leading
/// zeros), hex, octal and binary, with `_` only between digits; floats with a fraction and/or an
/// exponent, `inf` and `nan`; local dates, local times, local and offset date-times.
enum TOMLScalar {
    /// The value of `token`, or nil when it is none of the above (or an integer beyond 64 bits).
    static func read(_ token: ArraySlice<UInt8>) -> TOMLValue.Content? {
        let text = Array(token)
        if text.count >= 3 && text[2] == UInt8(ascii: ":") {
            return time(text[...]).map { .dateTime(TOMLDateTime(date: nil, time: $0)) }
        }
        if text.count >= 10 && text[4] == UInt8(ascii: "-") && text[0..<4].allSatisfy(Byte.isDigit) {
            return dateTime(text)
        }
        return number(text)
    }

    // MARK: - Numbers

    private static func number(_ text: [UInt8]) -> TOMLValue.Content? {
        var body = text[...]
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .float(negative ? -.nan : .nan) }
        if body.count > 2 && body.first == UInt8(ascii: "0") && text.first != UInt8(ascii: "+")
            && text.first != UInt8(ascii: "-")
        {
            let radix: Int?
            switch body[body.startIndex + 1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: radix = nil
            }
            if let radix { return integer(body.dropFirst(2), radix: radix, negative: false).map { .integer($0) } }
        }
        // Decimal: integer part, then an optional fraction and exponent.
        var index = body.startIndex
        guard let whole = digits(body, from: &index), whole.count == 1 || whole.first != UInt8(ascii: "0") else {
            return nil
        }
        var isFloat = false
        var cleaned = negative ? [UInt8(ascii: "-")] : []
        cleaned += whole
        if index < body.endIndex && body[index] == Byte.dot {
            index += 1
            guard let fraction = digits(body, from: &index) else { return nil }
            cleaned += [Byte.dot] + fraction
            isFloat = true
        }
        if index < body.endIndex && (body[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            cleaned.append(UInt8(ascii: "e"))
            if index < body.endIndex && (body[index] == UInt8(ascii: "+") || body[index] == UInt8(ascii: "-")) {
                cleaned.append(body[index])
                index += 1
            }
            guard let exponent = digits(body, from: &index) else { return nil }
            cleaned += exponent
            isFloat = true
        }
        guard index == body.endIndex else { return nil }
        if isFloat {
            return Double(String(decoding: cleaned, as: UTF8.self)).map { .float($0) }
        }
        return integer(whole[...], radix: 10, negative: negative).map { .integer($0) }
    }

    /// Decimal digits with single `_` between them, from `index`; the digits without the `_`, or
    /// nil when there is none or an `_` is misplaced.
    private static func digits(_ text: ArraySlice<UInt8>, from index: inout Int) -> [UInt8]? {
        var found: [UInt8] = []
        var afterDigit = false
        while index < text.endIndex {
            let byte = text[index]
            if Byte.isDigit(byte) {
                found.append(byte)
                afterDigit = true
            } else if byte == UInt8(ascii: "_") && afterDigit && index + 1 < text.endIndex && Byte.isDigit(text[index + 1]) {
                afterDigit = false
            } else {
                break
            }
            index += 1
        }
        return found.isEmpty ? nil : found
    }

    /// Digits of `radix` with single `_` between them, as an `Int`; nil on overflow or a bad digit.
    private static func integer(_ text: ArraySlice<UInt8>, radix: Int, negative: Bool) -> Int? {
        guard let first = text.first, first != UInt8(ascii: "_"), text.last != UInt8(ascii: "_") else { return nil }
        var value = 0
        var previous: UInt8 = 0
        for byte in text {
            if byte == UInt8(ascii: "_") {
                guard previous != UInt8(ascii: "_") else { return nil }
                previous = byte
                continue
            }
            previous = byte
            guard let digit = Byte.hexValue(byte).map(Int.init), digit < radix else { return nil }
            // Accumulating negatively reaches Int.min, which has no positive counterpart.
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: radix)
            let (next, overflowAdd) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowShift && !overflowAdd else { return nil }
            value = next
        }
        return value
    }

    // MARK: - Dates and times

    private static func dateTime(_ text: [UInt8]) -> TOMLValue.Content? {
        guard let year = fixed(text, 0, 4), text[4] == UInt8(ascii: "-"), let month = fixed(text, 5, 2),
            text[7] == UInt8(ascii: "-"), let day = fixed(text, 8, 2), (1...12).contains(month),
            (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let date = TOMLDateTime.Date(year: year, month: month, day: day)
        if text.count == 10 { return .dateTime(TOMLDateTime(date: date, time: nil)) }
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), Byte.space].contains(text[10]) else { return nil }
        var rest = text[11...]
        var offset: Int?
        if let last = rest.last, last | 0x20 == UInt8(ascii: "z") {
            offset = 0
            rest = rest.dropLast()
        } else if rest.count >= 6, let sign = Optional(rest[rest.endIndex - 6]),
            sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
        {
            let zone = Array(rest.suffix(5))
            guard let hours = fixed(zone, 0, 2), zone[2] == UInt8(ascii: ":"), let minutes = fixed(zone, 3, 2),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            rest = rest.dropLast(6)
        }
        guard let time = time(rest) else { return nil }
        return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: offset))
    }

    /// `HH:MM:SS` with an optional fraction of at least one digit.
    private static func time(_ text: ArraySlice<UInt8>) -> TOMLDateTime.Time? {
        let text = Array(text)
        guard text.count >= 8, let hour = fixed(text, 0, 2), text[2] == UInt8(ascii: ":"),
            let minute = fixed(text, 3, 2), text[5] == UInt8(ascii: ":"), let second = fixed(text, 6, 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var nanosecond = 0
        if text.count > 8 {
            let fraction = text[9...]
            guard text[8] == Byte.dot, !fraction.isEmpty, fraction.allSatisfy(Byte.isDigit) else { return nil }
            for position in 0..<9 {
                let digit = position < fraction.count ? Int(fraction[fraction.startIndex + position] - UInt8(ascii: "0")) : 0
                nanosecond = nanosecond * 10 + digit
            }
        }
        return TOMLDateTime.Time(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// `count` decimal digits at `start`, or nil when they are not all digits or the text is short.
    private static func fixed(_ text: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= text.count else { return nil }
        var value = 0
        for byte in text[start..<(start + count)] {
            guard Byte.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
