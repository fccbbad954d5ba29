#!/usr/bin/python3
"""What arrived in Graphite (carbon's whisper files) and in InfluxDB: one
line per series with its last value in each and the age of the newer one.
The demo prints it every cycle. Debian's python3 (python3-whisper).

Usage: pipeline-table.py WHISPER_DIR PREFIX INFLUX_URL DATABASE
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import whisper


def graphite_last(root, prefix, now):
    """{identifier: (time, value)} from the whisper files under root."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".wsp"):
                continue
            path = os.path.join(folder, name)
            metric = os.path.relpath(path, root)[:-4].replace(os.sep, ".")
            if not metric.startswith(prefix):
                continue
            try:
                (start, _, step), values = whisper.fetch(path, now - 600, now)
            except (whisper.WhisperException, OSError):
                continue
            for i in range(len(values) - 1, -1, -1):
                if values[i] is not None:
                    found[metric[len(prefix):]] = (start + i * step, values[i])
                    break
    return found


def influx_query(url, database, query):
    params = urllib.parse.urlencode({"db": database, "q": query, "epoch": "s"})
    with urllib.request.urlopen(url + "/query?" + params, timeout=5) as reply:
        return json.load(reply)


def influx_last(url, database):
    """{identifier: (time, value)}, named as write_graphite names them."""
    found = {}
    try:
        shown = influx_query(url, database, "SHOW MEASUREMENTS")
    except OSError:
        return found
    for result in shown.get("results", []):
        for series in result.get("series", []):
            for (measurement,) in series.get("values", []):
                plugin, _, ds = measurement.partition("_")
                reply = influx_query(
                    url, database,
                    'SELECT last("value") FROM "%s" WHERE time > now() - 10m '
                    "GROUP BY *" % measurement)
                for r in reply.get("results", []):
                    for s in r.get("series", []):
                        tags = s.get("tags", {})
                        t, v = s["values"][0]
                        name = "%s.%s-%s.%s-%s" % (
                            tags.get("host", ""), plugin,
                            tags.get("instance", ""), tags.get("type", ""),
                            tags.get("type_instance", ""))
                        name = name.replace("-.", ".").rstrip("-")
                        if ds != "value":
                            name += "." + ds
                        found[name] = (t, v)
    return found


def show(value):
    if value is None:
        return "-"
    return "%.6g" % value


def main():
    root, prefix, url, database = sys.argv[1:5]
    now = int(time.time())
    graphite = graphite_last(root, prefix, now)
    influx = influx_last(url, database)
    names = sorted(set(graphite) | set(influx))
    width = max([len(n) for n in names] + [6])
    print("%-*s %14s %14s %6s" % (width, "series", "graphite", "influxdb", "age"))
    for name in names:
        g, i = graphite.get(name), influx.get(name)
        newest = max(x[0] for x in (g, i) if x is not None)
        print("%-*s %14s %14s %5ds" % (width, name, show(g and g[1]),
                                        show(i and i[1]), now - newest))
    print("%d series: %d in Graphite, %d in InfluxDB" %
          (len(names), len(graphite), len(influx)))


if __name__ == "__main__":
    main()
