#!/usr/bin/python3
"""What arrived in Graphite (carbon's whisper files), in InfluxDB and in
Prometheus: one line per series with its last value in each and the age
of the newest. The demo prints it every cycle. Debian's python3
(python3-whisper). tests/e2e/test_central.sh imports prometheus_samples().

Usage: pipeline-table.py WHISPER_DIR PREFIX INFLUX_URL DATABASE PROM_URL TYPES_DB
"""
import json
import os
import sys
import time
import urllib.error
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


def read_types(path):
    """{type: [data source names]} from collectd's types.db."""
    types = {}
    with open(path) as db:
        for line in db:
            fields = line.split("#")[0].split()
            if len(fields) >= 2:
                types[fields[0]] = [ds.split(":")[0].rstrip(",")
                                    for ds in fields[1:]]
    return types


def graphite_name(labels, types):
    """The name write_graphite gives the value that write_prometheus
    exposes with these labels (collectd_PLUGIN_TYPE[_DS][_total],
    instance=HOST, PLUGIN=PLUGIN_INSTANCE, type=TYPE_INSTANCE), or None.
    A single PLUGIN label is taken for the plugin instance."""
    name = labels.get("__name__", "")
    found = None
    for body in (name, name[:-len("_total")] if name.endswith("_total") else None):
        if not body or not body.startswith("collectd_"):
            continue
        for type_, sources in types.items():
            for ds in sources:
                tail = type_ if ds == "value" else type_ + "_" + ds
                plugin = body[len("collectd_"):-len(tail) - 1]
                if not body.endswith("_" + tail) or not plugin:
                    continue
                # Of several readings, the one whose plugin is a label.
                rank = (plugin in labels, len(tail))
                if found is None or rank > found[0]:
                    found = (rank, plugin, type_, ds, len(sources) > 1)
    if found is None:
        return None
    _, plugin, type_, ds, many = found
    pi, ti = labels.get(plugin, ""), labels.get("type", "")
    return "%s.%s%s.%s%s%s" % (labels.get("instance", ""), plugin,
                               "-" + pi if pi else "", type_,
                               "-" + ti if ti else "", "." + ds if many else "")


def prometheus_samples(url, types, span, matchers=""):
    """{identifier: [(time, value), ...]}: every sample Prometheus stored in
    the last span (e.g. "10m") of the series write_prometheus exposed
    (and the further label matchers, e.g. ',job="collectd"'), named as
    write_graphite names them."""
    params = urllib.parse.urlencode(
        {"query": '{__name__=~"collectd_.+"%s}[%s]' % (matchers, span)})
    try:
        with urllib.request.urlopen(url + "/api/v1/query?" + params,
                                    timeout=5) as reply:
            answer = json.load(reply)
    except urllib.error.HTTPError as error:  # a refused query: its JSON
        answer = {"error": "HTTP %d: %s" % (
            error.code, error.read(300).decode(errors="replace"))}
    except (OSError, ValueError):  # not up (yet)
        return {}
    if answer.get("status") != "success":  # an error's .data is no result
        print("prometheus: %s" % answer.get("error"), file=sys.stderr)
        return {}
    found = {}
    for series in answer["data"]["result"]:
        name = graphite_name(series["metric"], types)
        if name is not None:
            found[name] = [(t, float(v)) for t, v in series["values"]]
    return found


def show(value):
    if value is None:
        return "-"
    return "%.6g" % value


def main():
    root, prefix, url, database, prom_url, types_db = sys.argv[1:7]
    now = int(time.time())
    graphite = graphite_last(root, prefix, now)
    influx = influx_last(url, database)
    prom = {name: samples[-1] for name, samples in
            prometheus_samples(prom_url, read_types(types_db), "10m").items()}
    names = sorted(set(graphite) | set(influx) | set(prom))
    width = max([len(n) for n in names] + [6])
    print("%-*s %14s %14s %14s %6s" % (width, "series", "graphite",
                                       "influxdb", "prometheus", "age"))
    for name in names:
        g, i, p = graphite.get(name), influx.get(name), prom.get(name)
        newest = max(x[0] for x in (g, i, p) if x is not None)
        print("%-*s %14s %14s %14s %5ds" % (
            width, name, show(g and g[1]), show(i and i[1]), show(p and p[1]),
            now - newest))
    print("%d series: %d in Graphite, %d in InfluxDB, %d in Prometheus" %
          (len(names), len(graphite), len(influx), len(prom)))


if __name__ == "__main__":
    main()
