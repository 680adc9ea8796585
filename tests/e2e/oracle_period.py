#!/usr/bin/python3
"""oracle_period.py - figures of any period and area, counted independently.

civreport's periods (--period), areas (--where), comparisons (@prev, @last),
range filters and averages (A / B) checked against a count of the generated
CSVs made here, without civreport.  It reads the files with check_sample.py's
readers (encodings, header aliases, value spellings) and validates each row
by the rules templates/schema.ini states: ID check character, allowed
values, money without negatives, real months and dates, each money and
count column's ceiling (max), no month or date after today (CIVREPORT_TODAY
if set, as civreport), and a second row of the same person, category or item
and month is a duplicate.

  oracle_period.py figures FOLDER < SPECS
      SPECS: lines "PERIOD|WHERE|EXPR", e.g. "2021Q3|区县=岳池县|relief.amount@prev"
      (WHERE empty for the whole city).  Prints "SPEC<TAB>VALUE" for each,
      VALUE as civreport query --format csv writes it, or "-" where civreport
      prints no value (a comparison whose period has no rows, an average
      with nothing to divide by).
  oracle_period.py check FOLDER PERIOD
      Per file: "FILE<TAB>records<TAB>accepted<TAB>invalid<TAB>duplicates",
      where accepted counts the valid rows of PERIOD, invalid the rows that
      fail validation (whatever their month), duplicates all duplicates.

The expressions it understands are the ones the tests ask for, parsed here
again on purpose:

  EXPR   = SIDE [ " / " SIDE ]
  SIDE   = DATASET "." ( rows | amount | persons ) [ "[" FILTER { ";" FILTER } "]" ]
           [ "@prev" | "@last" ]
  FILTER = COLUMN "=" ITEM { "," ITEM }  (ITEM = VALUE [ ".." VALUE ])
         | COLUMN ( ">=" | ">" | "<=" | "<" ) VALUE

Python standard library only.
"""

import csv
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_sample as cs  # noqa: E402  (the sample oracle's readers)

# templates/schema.ini's max, written out again: fen for money, units for counts
CEILING = {
    ("relief", "amount"): 1000000 * 100,
    ("children", "amount"): 1000000 * 100,
    ("elderly", "quantity"): 10000000,
    ("elderly", "beneficiaries"): 100000000,
    ("elderly", "funds"): 1000000000 * 100,
    ("charity", "amount"): 1000000000 * 100,
    ("charity", "beneficiaries"): 100000000,
}
# the column the measure "amount" sums
AMOUNT = {"relief": "amount", "children": "amount", "elderly": "funds", "charity": "amount"}


def today():
    """yyyymmdd: CIVREPORT_TODAY (yyyy-mm-dd) when set, else the date."""
    env = os.environ.get("CIVREPORT_TODAY", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", env):
        d = cs.parse_date(env)
        if d:
            return d
    t = datetime.date.today()
    return t.year * 10000 + t.month * 100 + t.day


# ---------------------------------------------------------------------------
# Periods: (first, last) months, each year * 12 + month - 1

def parse_period(text):
    text = text.strip().upper()
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        y = int(m.group(1))
        return (y * 12, y * 12 + 11)
    m = re.fullmatch(r"(\d{4})H([12])", text)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return (y * 12 + 6 * (h - 1), y * 12 + 6 * h - 1)
    m = re.fullmatch(r"(\d{4})Q([1-4])", text)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        return (y * 12 + 3 * (q - 1), y * 12 + 3 * q - 1)
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:\.\.(\d{4})-(\d{2}))?", text)
    if m:
        first = int(m.group(1)) * 12 + int(m.group(2)) - 1
        last = first if m.group(3) is None else int(m.group(3)) * 12 + int(m.group(4)) - 1
        return (first, last)
    raise ValueError("not a period: " + text)


def prev_year(p):
    return (p[0] - 12, p[1] - 12)


def last(p):
    n = p[1] - p[0] + 1
    return (p[0] - n, p[0] - 1)


def month_index(ds, row):
    """The row's period month as year * 12 + month - 1."""
    v = row[cs.SCHEMA[ds]["period"]]
    if cs.SCHEMA[ds]["period"] == "month":
        return v // 100 * 12 + v % 100 - 1
    return v // 10000 * 12 + v // 100 % 100 - 1


# ---------------------------------------------------------------------------
# Reading: every valid row, with its file; per-file counts

class Data:
    def __init__(self, folder):
        self.rows = {ds: [] for ds in cs.SCHEMA}
        self.files = {}  # basename -> [dataset, records, invalid, duplicates]
        self.today = today()
        seen = {ds: set() for ds in cs.SCHEMA}
        paths = []
        for root, _dirs, files in os.walk(folder):
            paths += [os.path.join(root, f) for f in files if f.lower().endswith(".csv")]
        for path in sorted(paths):
            enc = cs.sniff_encoding(path)
            with open(path, newline="", encoding=enc) as f:
                reader = csv.reader(f)
                ds, keys = cs.header_map(next(reader, []))
                if ds is None:
                    raise SystemExit("oracle_period: %s: not a known export" % path)
                stats = self.files.setdefault(os.path.basename(path), [ds, 0, 0, 0])
                for fields in reader:
                    if not fields:
                        continue
                    stats[1] += 1
                    row = self.validate(ds, keys, fields)
                    if row is None:
                        stats[2] += 1
                        continue
                    unique = cs.SCHEMA[ds]["unique"]
                    if unique:
                        key = tuple(row[k] for k in unique)
                        if key in seen[ds]:
                            stats[3] += 1
                            continue
                        seen[ds].add(key)
                    row["@file"] = os.path.basename(path)
                    row["@month"] = month_index(ds, row)
                    self.rows[ds].append(row)

    def validate(self, ds, keys, fields):
        """The row's values by column key, or None when the schema refuses it."""
        types = {spec[0]: spec for spec in cs.SCHEMA[ds]["columns"].values()}
        if any(f.strip() for f in fields[len(keys):]):
            return None  # more fields than the header: an unquoted comma
        row = {}
        for key, text in zip(keys, fields):
            if key is None:
                continue
            _k, typ, _required, _aliases, allowed = types[key]
            text = text.strip()
            if text == "":
                row[key] = None
                continue
            if typ == "enum":
                if text not in allowed:
                    return None
                row[key] = text
                continue
            v = {"id": cs.parse_id, "month": cs.parse_month, "date": cs.parse_date,
                 "money": cs.parse_money, "integer": cs.parse_integer,
                 "text": lambda s: s}[typ](text)
            if v is None:
                return None
            if typ in ("money", "integer"):
                if v < 0 or abs(v) > CEILING.get((ds, key), float("inf")):
                    return None
            if typ == "month" and v > self.today // 100:
                return None
            if typ == "date" and v > self.today:
                return None
            row[key] = v
        for key, (_k, _t, required, _a, _v) in types.items():
            if required and row.get(key) is None:
                return None
        return row


# ---------------------------------------------------------------------------
# Expressions

def column_key(ds, name):
    """A column's key from its canonical Chinese name or its key."""
    for canon, spec in cs.SCHEMA[ds]["columns"].items():
        if cs.fold(name) in (cs.fold(canon), spec[0]):
            return spec[0], spec[1]
    raise ValueError("%s has no column %s" % (ds, name))


def parse_value(typ, text):
    """A filter's value in the column's terms (money in fen, month yyyymm)."""
    text = text.strip()
    if typ == "money":
        return cs.parse_money(text)
    if typ == "integer":
        return cs.parse_integer(text)
    if typ == "month":
        return cs.parse_month(text)
    if typ == "date":
        return cs.parse_date(text)
    return text


def parse_filter(ds, text):
    """A predicate on a row."""
    m = re.fullmatch(r"\s*([^=<>!]+?)\s*(>=|<=|>|<|=)\s*(.+?)\s*", text)
    if not m:
        raise ValueError("filter: " + text)
    key, typ = column_key(ds, m.group(1))
    op, rest = m.group(2), m.group(3)
    if op != "=":
        bound = parse_value(typ, rest)
        cmp = {">=": lambda v: v >= bound, ">": lambda v: v > bound,
               "<=": lambda v: v <= bound, "<": lambda v: v < bound}[op]
        return lambda row: row.get(key) is not None and cmp(row[key])
    items = []
    for item in rest.split(","):
        lo, _, hi = item.partition("..")
        lo = parse_value(typ, lo)
        items.append((lo, parse_value(typ, hi) if hi else lo))
    return lambda row: row.get(key) is not None and any(a <= row[key] <= b for a, b in items)


def side(data, period, wheres, text):
    """(present, value, is_money) of one figure."""
    m = re.fullmatch(r"\s*(\w+)\.(rows|amount|persons)(?:\[(.*)\])?(@prev|@last)?\s*", text)
    if not m:
        raise ValueError("expression: " + text)
    ds, measure, filters, compare = m.groups()
    window = {None: period, "@prev": prev_year(period), "@last": last(period)}[compare]
    preds = [parse_filter(ds, f) for f in (filters.split(";") if filters else [])]
    preds += [parse_filter(ds, w) for w in wheres]
    inside = [r for r in data.rows[ds] if window[0] <= r["@month"] <= window[1]]
    # a comparison with no rows of the dataset in its period has no value
    present = compare is None or bool(inside)
    chosen = [r for r in inside if all(p(r) for p in preds)]
    if measure == "rows":
        return present, len(chosen), False
    if measure == "persons":
        return present, len({r["id"] for r in chosen}), False
    return present, sum(r.get(AMOUNT[ds]) or 0 for r in chosen), True


def money(v):
    return "%s%d.%02d" % ("-" if v < 0 else "", abs(v) // 100, abs(v) % 100)


def rounded(num, den, digits):
    """num / den rounded half away from zero to digits decimals, as text."""
    scale = 10 ** digits
    neg = (num < 0) != (den < 0)
    q, r = divmod(abs(num) * scale, abs(den))
    if 2 * r >= abs(den):
        q += 1
    text = "%d.%0*d" % (q // scale, digits, q % scale)
    return "-" + text if neg and q else text


def figure(data, spec):
    ptext, where, expr = spec.split("|", 2)
    period = parse_period(ptext)
    wheres = [w for w in where.split("&") if w]
    parts = re.split(r"\s+/\s+", expr)
    if len(parts) == 1:
        present, v, is_money = side(data, period, wheres, expr)
        return (money(v) if is_money else str(v)) if present else "-"
    (pa, a, ma), (pb, b, mb) = (side(data, period, wheres, p) for p in parts)
    if not (pa and pb) or b == 0:
        return "-"
    if ma and not mb:
        return rounded(a, b * 100, 2)  # yuan per person
    return rounded(a, b, 4)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "figures":
        data = Data(sys.argv[2])
        for line in sys.stdin:
            spec = line.rstrip("\n")
            if spec:
                print("%s\t%s" % (spec, figure(data, spec)))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        data = Data(sys.argv[2])
        period = parse_period(sys.argv[3])
        for name, (ds, records, invalid, dups) in sorted(data.files.items()):
            accepted = sum(1 for r in data.rows[ds]
                           if r["@file"] == name and period[0] <= r["@month"] <= period[1])
            print("%s\t%d\t%d\t%d\t%d" % (name, records, accepted, invalid, dups))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
