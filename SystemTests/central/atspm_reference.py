"""The reference measures: atspm 2.6.1 (PyPI `atspm`, UDOT's DuckDB implementation of the Indiana/Purdue
measures) run on an Indiana high-resolution event CSV, fed as docs/central-measures.md says.

- detector_config: one row per detector and phase it serves, Parameter = the 1-based detector number, Phase = the
  1-based signal group, Function = Presence for a stop-line loop, Advance for an advance loop; push buttons have
  no row. The junction file gives the numbering: [[detectors]] and [[groups]] in file order.
- raw events: the CSV's, plus event 90 (pedestrian detector on, Parameter = phase) for every press of a push
  button (its 82) once per phase the button serves; junctiond logs the press as a detector event.
- parameters: split_failures red_time 5, both occupancy thresholds 0.79, by approach, per bin;
  arrival_on_green latency 0; unique_ped 15 s; timeline (for ped_delay) with no minimum duration and no
  event-gap invalidation, as central applies neither.

Results are dicts keyed by (bin_start in Unix seconds, phase or detector), the shape central's API is
compared in. Run as a script for a table: python atspm_reference.py EVENTS.csv JUNCTION.toml [BIN_MINUTES]
"""

import sys
import tomllib

import pandas

RED_TIME_SECONDS = 5
OCCUPANCY_THRESHOLD = 0.79
UNIQUE_PED_SECONDS = 15
PED_ACTUATION = 90
DETECTOR_ON = 82
FUNCTIONS = {"stop_line": "Presence", "advance": "Advance"}


def junction_detectors(junction_path):
    """[(detector number, placement, [phase, ...])] of a junction file, numbered as the controller numbers them."""
    with open(junction_path, "rb") as file:
        junction = tomllib.load(file)
    phase_of = {group["name"]: index + 1 for index, group in enumerate(junction["groups"])}
    return [(index + 1, detector.get("placement"), [phase_of[name] for name in detector.get("groups", [])])
            for index, detector in enumerate(junction["detectors"])]


def detector_config(detectors, device_id):
    rows = [{"DeviceId": device_id, "Phase": phase, "Parameter": number, "Function": FUNCTIONS[placement]}
            for number, placement, phases in detectors if placement in FUNCTIONS for phase in phases]
    return pandas.DataFrame(rows).astype({"Phase": "int16", "Parameter": "int16"})


def raw_events(csv_path, detectors):
    """The CSV as atspm's raw_data frame, with the pedestrian actuations (90) the presses stand for."""
    events = pandas.read_csv(csv_path, dtype={"SignalId": str})
    events = events.rename(columns={"SignalId": "DeviceId", "Timestamp": "TimeStamp", "EventCode": "EventId",
                                    "EventParam": "Parameter"})
    events["TimeStamp"] = pandas.to_datetime(events["TimeStamp"], format="%Y-%m-%d %H:%M:%S.%f")
    buttons = {number: phases for number, placement, phases in detectors if placement == "push_button"}
    presses = events[(events["EventId"] == DETECTOR_ON) & events["Parameter"].isin(list(buttons))]
    pushes = [presses[presses["Parameter"] == number].assign(EventId=PED_ACTUATION, Parameter=phase)
              for number, phases in buttons.items() for phase in phases]
    return pandas.concat([events, *pushes], ignore_index=True).astype({"EventId": "int16", "Parameter": "int16"})


def aggregations():
    return [
        {"name": "has_data", "params": {"no_data_min": 5, "min_data_points": 3}},
        {"name": "actuations", "params": {}},
        {"name": "terminations", "params": {}},
        {"name": "split_failures", "params": {
            "red_time": RED_TIME_SECONDS, "red_occupancy_threshold": OCCUPANCY_THRESHOLD,
            "green_occupancy_threshold": OCCUPANCY_THRESHOLD, "by_approach": True, "by_cycle": False}},
        {"name": "arrival_on_green", "params": {"latency_offset_seconds": 0}},
        {"name": "ped", "params": {}},
        {"name": "unique_ped", "params": {"seconds_between_actuations": UNIQUE_PED_SECONDS}},
        {"name": "timeline", "params": {"min_duration": 0, "cushion_time": 0, "max_event_gap_seconds": None}},
        {"name": "ped_delay", "params": {}},
    ]


def unix_seconds(timestamp):
    return int(pandas.Timestamp(timestamp).timestamp())


def run(csv_path, junction_path, bin_minutes=15):
    """atspm's measures of the CSV, as {measure: {(bin_start, phase or detector): {field: value}}}."""
    from atspm import SignalDataProcessor

    detectors = junction_detectors(junction_path)
    events = raw_events(csv_path, detectors)
    device = events["DeviceId"].iloc[0]
    with SignalDataProcessor(raw_data=events, detector_config=detector_config(detectors, device),
                             bin_size=bin_minutes, verbose=0, aggregations=aggregations()) as processor:
        processor.load()
        processor.aggregate()
        tables = {name: processor.conn.execute(f"SELECT * FROM {name}").df()
                  for name in ("actuations", "terminations", "split_failures", "arrival_on_green", "ped",
                               "unique_ped", "ped_delay")}
    return reshape(tables)


def reshape(tables):
    result = {name: {} for name in ("terminations", "split_failures", "arrivals_on_green", "detector_volumes",
                                    "pedestrian")}

    def row(measure, timestamp, key):
        return result[measure].setdefault((unix_seconds(timestamp), int(key)), {})

    names = {"GapOut": "gap_out", "MaxOut": "max_out", "ForceOff": "force_off"}
    for r in tables["terminations"].itertuples():
        entry = row("terminations", r.TimeStamp, r.Phase)
        entry[names[r.PerformanceMeasure]] = entry.get(names[r.PerformanceMeasure], 0) + int(r.Total)
    for r in tables["split_failures"].itertuples():
        row("split_failures", r.TimeStamp, r.Phase).update(
            green_time_s=float(r.Green_Time), green_occupancy=float(r.Green_Occupancy),
            red_occupancy=float(r.Red_Occupancy), split_failures=int(r.Split_Failure))
    for r in tables["arrival_on_green"].itertuples():
        row("arrivals_on_green", r.TimeStamp, r.Phase).update(
            total_arrivals=int(r.Total_Actuations), percent_arrivals_on_green=float(r.Percent_AOG))
    for r in tables["actuations"].itertuples():
        row("detector_volumes", r.TimeStamp, r.Detector)["volume"] = int(r.Total)
    for r in tables["ped"].itertuples():
        row("pedestrian", r.TimeStamp, r.Phase).update(ped_services=int(r.PedServices),
                                                       ped_actuations=int(r.PedActuation))
    for r in tables["unique_ped"].itertuples():
        row("pedestrian", r.TimeStamp, r.Phase)["unique_ped_actuations"] = int(r.Unique_Actuations)
    for r in tables["ped_delay"].itertuples():
        row("pedestrian", r.TimeStamp, r.Phase).update(ped_delay_s=float(r.AvgPedDelay),
                                                       ped_delay_samples=int(r.Samples))
    return result


def main():
    bin_minutes = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    for measure, rows in run(sys.argv[1], sys.argv[2], bin_minutes).items():
        print(f"== {measure}: {len(rows)} rows")
        for (bin_start, key), fields in sorted(rows.items()):
            print(pandas.Timestamp(bin_start, unit="s"), key, fields)


if __name__ == "__main__":
    main()
