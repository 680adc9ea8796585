"""What a doc dump (civreport run --dump-doc) says of the report's headings
and charts, for the tests that look for them in a rendered file.

    from doc_dump import headings_and_charts
    headings, charts = headings_and_charts("doc.txt")
    # headings: [(level, text)], charts: [(label, title)], in order
"""
import json
import re


def headings_and_charts(path):
    headings, charts, cur = [], [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"  block \d+ (\w+) level=(\d+)", line)
        if m:
            cur = [int(m.group(2)), ""] if m.group(1) == "heading" else None
            if cur is not None:
                headings.append(cur)
            continue
        m = re.match(r'    run "(.*)" \w+$', line)
        if m and cur is not None:
            cur[1] += json.loads('"%s"' % m.group(1))
        m = re.match(r'      label "(图\d+)" title "(.*)"$', line)
        if m:
            charts.append((m.group(1), json.loads('"%s"' % m.group(2))))
    return [tuple(h) for h in headings], charts
