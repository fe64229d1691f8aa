/// Junction files compiled into the binary, for demos and tests that run with no files at all.
public enum BuiltInJunctions {
    /// The Cirebon four-arm example, byte for byte `hardware/junctions/cirebon-4arm.toml` (a test
    /// checks it); `junctiond --demo` runs it when no junction file is given.
    public static let cirebon4Arm: String = #"""
# Cirebon-style four-arm junction: Jl. Siliwangi (north-south) × Jl. Kartini (east-west).
# The names follow Cirebon streets, but the geometry, counts and timings are fictional.
#
# Left-hand traffic: the left turn is the easy turn and runs with the through movement; the
# right turn crosses opposing traffic and gets a protected arrow. Vehicle heads show red+amber
# before green (PM 49/2014). Times are in seconds with one decimal. See docs/config.md.
#
# Peak-hour counts (fictional survey, weekday 07:00-08:00), motorcycles (MC) counted at
# 0.2 pcu when protected and 0.4 when opposed (PKJI 2014):
#   north  1,900 veh/h, 71% MC  ->   790 pcu/h      south  2,100 veh/h, 68% MC  ->   920 pcu/h
#   east     950 veh/h, 74% MC  ->   370 pcu/h      west   1,050 veh/h, 72% MC  ->   420 pcu/h
#   right turns about 15% of each approach; about 600 pedestrians/h across all four arms.
# So many motorcycles queue that stop-line loops see short, dense actuations: passage times are
# short and the erratic-count threshold is set high.

[junction]
name = "Cirebon - Jl. Siliwangi x Jl. Kartini"
amber_floor = 3.0
sequence = ["S1", "S2", "S3", "S4", "S5"]

[startup]
flash = 10.0
all_red = 4.0

# Amber, ITE: Y = t + v / (2a + 2gG) with t = 1.0 s, v = 40 km/h = 11.1 m/s, a = 3.05 m/s2, G = 0:
#   Y = 1.0 + 11.1 / 6.1 = 2.8 s, raised to the 3.0 s floor. Turn arrows use the same floor.
#
# Actuated settings: Siliwangi (the main road) is on minimum recall, so it rests in green;
# everything else is called by its loops or push buttons.

# Through and left from the north (Siliwangi southbound).
[[groups]]
name = "N"
kind = "vehicle"
min_green = 10
max_green = 45
passage = 2.5
amber = 3.0
red_amber = 1.5
recall = "minimum"

# Protected right turn from the north, into Kartini west.
[[groups]]
name = "NR"
kind = "turn_arrow"
min_green = 5
max_green = 20
passage = 2.0
amber = 3.0
red_amber = 1.0

[[groups]]
name = "S"
kind = "vehicle"
min_green = 10
max_green = 45
passage = 2.5
amber = 3.0
red_amber = 1.5
recall = "minimum"

[[groups]]
name = "SR"
kind = "turn_arrow"
min_green = 5
max_green = 20
passage = 2.0
amber = 3.0
red_amber = 1.0

[[groups]]
name = "E"
kind = "vehicle"
min_green = 8
max_green = 35
passage = 2.5
amber = 3.0
red_amber = 1.5

[[groups]]
name = "ER"
kind = "turn_arrow"
min_green = 5
max_green = 20
passage = 2.0
amber = 3.0
red_amber = 1.0

[[groups]]
name = "W"
kind = "vehicle"
min_green = 8
max_green = 35
passage = 2.5
amber = 3.0
red_amber = 1.5

[[groups]]
name = "WR"
kind = "turn_arrow"
min_green = 5
max_green = 20
passage = 2.0
amber = 3.0
red_amber = 1.0

# Pedestrian crossings, named after the arm they cross. Clearance (flashing don't walk) is the
# crossing length at 1.07 m/s; walk + clearance covers it at 0.9 m/s.
#   Siliwangi arms, 16 m: 16 / 1.07 = 15.0 s;  7 + 15.0 = 22.0 s >= 16 / 0.9 = 17.8 s
#   Kartini arms,   12 m: 12 / 1.07 = 11.2 s;  7 + 11.2 = 18.2 s >= 12 / 0.9 = 13.3 s
[[groups]]
name = "PN"
kind = "pedestrian"
walk = 7
clearance = 15.0

[[groups]]
name = "PS"
kind = "pedestrian"
walk = 7
clearance = 15.0

[[groups]]
name = "PE"
kind = "pedestrian"
walk = 7
clearance = 11.2

[[groups]]
name = "PW"
kind = "pedestrian"
walk = 7
clearance = 11.2

# Every conflict is written from both sides, like the rows of a conflict matrix.
# N and S (through and left) may run together: neither crosses the other. NR and SR turn in
# front of each other and may run together too. A crossing conflicts with every movement that
# enters or leaves its arm.
[conflicts]
N = ["SR", "E", "W", "ER", "WR", "PN", "PS", "PE"]
NR = ["S", "E", "W", "ER", "WR", "PN", "PW"]
S = ["NR", "E", "W", "ER", "WR", "PS", "PN", "PW"]
SR = ["N", "E", "W", "ER", "WR", "PS", "PE"]
E = ["N", "NR", "S", "SR", "WR", "PE", "PW", "PS"]
ER = ["N", "NR", "S", "SR", "W", "PE", "PN"]
W = ["N", "NR", "S", "SR", "ER", "PW", "PE", "PN"]
WR = ["N", "NR", "S", "SR", "E", "PW", "PS"]
PN = ["N", "NR", "S", "ER", "W"]
PS = ["S", "SR", "N", "E", "WR"]
PE = ["E", "ER", "W", "N", "SR"]
PW = ["W", "WR", "E", "S", "NR"]

# Intergreen = amber (or flashing don't walk) + all-red. All-red, ITE: R = (W + L) / v, with
# L = 6 m (a car; motorcycles clear sooner):
#   N, S   cross Kartini:   W = 12 m road + 4 m setbacks = 16 m:  (16 + 6) / 11.1 = 1.98, up to 2.0 s -> 5.0 s
#   E, W   cross Siliwangi: W = 16 m road + 4 m setbacks = 20 m:  (20 + 6) / 11.1 = 2.34, up to 2.4 s -> 5.4 s
#   arrows turn at 25 km/h = 6.9 m/s over 14 m:                   (14 + 6) / 6.9  = 2.90 s          -> 5.9 s
#   crossings: clearance + 2.0 s for slow walkers:   Siliwangi 15.0 + 2.0 = 17.0 s, Kartini 11.2 + 2.0 = 13.2 s
# Each intergreen also holds the entering group's red+amber after the leaving amber (3.0 + 1.5 = 4.5 s).
[intergreen]
N = { SR = 5.0, E = 5.0, W = 5.0, ER = 5.0, WR = 5.0, PN = 5.0, PS = 5.0, PE = 5.0 }
S = { NR = 5.0, E = 5.0, W = 5.0, ER = 5.0, WR = 5.0, PS = 5.0, PN = 5.0, PW = 5.0 }
NR = { S = 5.9, E = 5.9, W = 5.9, ER = 5.9, WR = 5.9, PN = 5.9, PW = 5.9 }
SR = { N = 5.9, E = 5.9, W = 5.9, ER = 5.9, WR = 5.9, PS = 5.9, PE = 5.9 }
E = { N = 5.4, NR = 5.4, S = 5.4, SR = 5.4, WR = 5.4, PE = 5.4, PW = 5.4, PS = 5.4 }
W = { N = 5.4, NR = 5.4, S = 5.4, SR = 5.4, ER = 5.4, PW = 5.4, PE = 5.4, PN = 5.4 }
ER = { N = 5.9, NR = 5.9, S = 5.9, SR = 5.9, W = 5.9, PE = 5.9, PN = 5.9 }
WR = { N = 5.9, NR = 5.9, S = 5.9, SR = 5.9, E = 5.9, PW = 5.9, PS = 5.9 }
PN = { N = 17.0, NR = 17.0, S = 17.0, ER = 17.0, W = 17.0 }
PS = { S = 17.0, SR = 17.0, N = 17.0, E = 17.0, WR = 17.0 }
PE = { E = 13.2, ER = 13.2, W = 13.2, N = 13.2, SR = 13.2 }
PW = { W = 13.2, WR = 13.2, E = 13.2, S = 13.2, NR = 13.2 }

# Five stages: the main road, its right turns, the side road, its right turns, and an
# all-pedestrian stage served only when a button is pressed.
[[stages]]
name = "S1"
groups = ["N", "S"]

[[stages]]
name = "S2"
groups = ["NR", "SR"]

[[stages]]
name = "S3"
groups = ["E", "W"]

[[stages]]
name = "S4"
groups = ["ER", "WR"]

[[stages]]
name = "S5"
groups = ["PN", "PS", "PE", "PW"]

# Per arm: a stop-line loop (calls and extends), an advance loop 40 m back (extends), and a
# stop-line loop in the right-turn lane. A stop-line loop passes about 60 motorcycles a minute
# in saturated flow, so erratic starts at 120 a minute.
[[detectors]]
name = "N_stop"
groups = ["N"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 240
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "N_advance"
groups = ["N"]
function = "extend"
placement = "advance"
no_activity_minutes = 240
max_presence_minutes = 5
erratic_per_minute = 120

[[detectors]]
name = "NR_stop"
groups = ["NR"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 480
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "S_stop"
groups = ["S"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 240
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "S_advance"
groups = ["S"]
function = "extend"
placement = "advance"
no_activity_minutes = 240
max_presence_minutes = 5
erratic_per_minute = 120

[[detectors]]
name = "SR_stop"
groups = ["SR"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 480
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "E_stop"
groups = ["E"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 240
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "E_advance"
groups = ["E"]
function = "extend"
placement = "advance"
no_activity_minutes = 240
max_presence_minutes = 5
erratic_per_minute = 120

[[detectors]]
name = "ER_stop"
groups = ["ER"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 480
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "W_stop"
groups = ["W"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 240
max_presence_minutes = 10
erratic_per_minute = 120

[[detectors]]
name = "W_advance"
groups = ["W"]
function = "extend"
placement = "advance"
no_activity_minutes = 240
max_presence_minutes = 5
erratic_per_minute = 120

[[detectors]]
name = "WR_stop"
groups = ["WR"]
function = "call_and_extend"
placement = "stop_line"
no_activity_minutes = 480
max_presence_minutes = 10
erratic_per_minute = 120

# Push buttons: a button held for 5 minutes is stuck; a day without a press is suspicious.
[[detectors]]
name = "PN_button"
groups = ["PN"]
function = "call"
placement = "push_button"
no_activity_minutes = 1440
max_presence_minutes = 5

[[detectors]]
name = "PS_button"
groups = ["PS"]
function = "call"
placement = "push_button"
no_activity_minutes = 1440
max_presence_minutes = 5

[[detectors]]
name = "PE_button"
groups = ["PE"]
function = "call"
placement = "push_button"
no_activity_minutes = 1440
max_presence_minutes = 5

[[detectors]]
name = "PW_button"
groups = ["PW"]
function = "call"
placement = "push_button"
no_activity_minutes = 1440
max_presence_minutes = 5

# Fixed-time plans: one split per sequence entry, each at least the stage's min green plus the
# interstage that follows (S1 15.0, S2 10.9, S3 13.4, S4 10.9, S5 24.0 s); splits add up to the cycle.
[[plans]]
name = "weekday_peak"
cycle = 120
offset = 12
splits = [40, 14, 28, 13, 25]

[[plans]]
name = "off_peak"
cycle = 90
offset = 0
splits = [25, 12, 17, 12, 24]

"""#
}
