#!/usr/bin/python3
"""check_sample.py - an independent oracle for `civreport sample`.

Reads a generated input folder the way an officer's spreadsheet would have
to: every *.csv, in UTF-8 (with or without a BOM) or GB18030, headers by
canonical name or alias (full-width punctuation folded), amounts, months and
dates in any of the spellings the exports use.  Rows are validated with the
rules of templates/schema.ini (ID check character, allowed values, money
without negatives, months 1-12, real dates); a second row with the same
person, category or item and month is a duplicate and counted once.

It prints every figure of the 2021 annual summary that the sample must
reproduce, for the report year (--year, 2021 by default) and, named with
@prev, for the year before, e.g.

    relief.persons[城乡低保] 266812
    relief.persons[城乡低保]@prev 263195

With --year 2020 it is the oracle of the sample's previous year (what
`civreport query --year 2020` must give).  A duplicate is counted among the
rows of the report year, as civreport checks them.  With --expect-seed it
compares the 2021 figures with the summary's (the sample at scale 1) and
exits 1 when any is missed.  Python standard library only, and no code
shared with the C generator: that is the point of an oracle.

Usage: check_sample.py [--year 2021] [--expect-seed] FOLDER
"""

import argparse
import csv
import os
import re
import sys

DISTRICTS = ("广安区", "前锋区", "华蓥市", "岳池县", "武胜县", "邻水县")

# The schema, written out again from templates/schema.ini on purpose.
# column: (key, type, required, aliases, allowed values)
SCHEMA = {
    "relief": {
        "unique": ("id", "category", "month"),
        "period": "month",
        "columns": {
            "身份证号": ("id", "id", True, ("身份证号码", "公民身份号码", "证件号码"), None),
            "姓名": ("name", "text", False, ("救助对象姓名", "对象姓名"), None),
            "区县": ("district", "enum", True,
                     ("所属区县", "县(市、区)", "县(市,区)", "区(县)"), DISTRICTS),
            "乡镇(街道)": ("township", "text", False, ("乡镇", "街道", "乡镇街道"), None),
            "救助类别": ("category", "enum", True, ("保障类别", "救助类型"),
                         ("城市低保", "农村低保", "特困供养", "临时救助")),
            "发放年月": ("month", "month", True, ("发放月份", "年月"), None),
            "发放金额": ("amount", "money", True,
                         ("金额(元)", "救助金额", "发放金额(元)"), None),
            "户号": ("household", "text", False, ("家庭编号", "户编号"), None),
            "纳入日期": ("enrolled", "date", False, ("审批日期", "纳入时间"), None),
            "纳入方式": ("enrolment", "enum", False, ("纳入类型",),
                         ("常规申请", "回头看排查", "重残重病单独纳入")),
        },
    },
    "children": {
        "unique": ("id", "item", "month"),
        "period": "month",
        "columns": {
            "身份证号": ("id", "id", True, ("身份证号码", "公民身份号码", "证件号码"), None),
            "姓名": ("name", "text", False, ("儿童姓名",), None),
            "区县": ("district", "enum", True, ("所属区县", "县(市、区)"), DISTRICTS),
            "儿童类别": ("category", "enum", True, ("类别", "保障类别"),
                         ("机构养育孤儿", "社会散居孤儿", "事实无人抚养儿童", "困境儿童")),
            "项目": ("item", "enum", True, ("发放项目", "资助项目"),
                     ("基本生活费", "助学金", "明天计划", "关爱帮扶")),
            "发放年月": ("month", "month", True, ("发放月份", "年月"), None),
            "金额": ("amount", "money", True, ("金额(元)", "发放金额"), None),
        },
    },
    "elderly": {
        "unique": None,
        "period": "date",
        "columns": {
            "项目类型": ("kind", "enum", True, ("类型",),
                         ("养老服务综合体", "养老驿站", "家庭智能看护", "敬老院床位改造",
                          "留守老人巡访", "老龄食堂", "困难老人热水器", "银龄保险参保",
                          "银龄保险赔付", "养老护理培训")),
            "区县": ("district", "enum", True, ("所属区县", "县(市、区)"), DISTRICTS),
            "名称": ("title", "text", False, ("项目名称",), None),
            "数量": ("quantity", "integer", False, ("数量(套/张/个/户)",), None),
            "受益人数": ("beneficiaries", "integer", False, ("服务人数",), None),
            "资金(元)": ("funds", "money", False, ("资金", "金额(元)", "金额"), None),
            "日期": ("date", "date", True, ("完成日期", "发生日期"), None),
        },
    },
    "charity": {
        "unique": None,
        "period": "date",
        "columns": {
            "日期": ("date", "date", True, ("收支日期",), None),
            "收支类型": ("kind", "enum", True, ("类型",), ("捐赠收入", "项目支出", "慰问金(品)")),
            "项目名称": ("project", "text", False, ("项目",), None),
            "区县": ("district", "enum", False, ("所属区县",), DISTRICTS),
            "金额": ("amount", "money", True, ("金额(元)",), None),
            "受益人次": ("beneficiaries", "integer", False, ("惠及人次",), None),
            "捐赠方": ("donor", "text", False, ("捐赠人", "捐赠单位"), None),
        },
    },
}

CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_MAP = "10X98765432"


def fold(text):
    """Trim, drop a BOM, full-width ASCII to half-width (（元） == (元))."""
    out = []
    for ch in text.strip().lstrip("\ufeff").strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif code == 0x3000:
            ch = " "
        out.append(ch)
    return "".join(out).strip()


# ---------------------------------------------------------------------------
# Values

def valid_ymd(y, m, d):
    if not (1 <= m <= 12) or d < 1:
        return False
    days = (31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return d <= days[m - 1]


def parse_id(s):
    """The 18-character ID upper-cased, or None."""
    s = s.strip().upper()
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return None
    if not s.isascii():
        return None
    y, m, d = int(s[6:10]), int(s[10:12]), int(s[12:14])
    if not (1900 <= y <= 2099) or not valid_ymd(y, m, d):
        return None
    total = sum(int(c) * w for c, w in zip(s[:17], CHECK_WEIGHTS))
    if CHECK_MAP[total % 11] != s[17]:
        return None
    return s


MONTH_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
MONEY_RE = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")
INT_RE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$")


def parse_month(s):
    """yyyymm, or None."""
    s = s.strip()
    for rx in MONTH_RES:
        m = rx.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return y * 100 + mo if 1 <= mo <= 12 else None
    return None


def parse_date(s):
    """yyyymmdd, or None."""
    s = s.strip()
    for rx in DATE_RES:
        m = rx.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return y * 10000 + mo * 100 + d if valid_ymd(y, mo, d) else None
    return None


def parse_money(s):
    """Fen (int) for 1234.5, 1,234.50, ¥1,234.50, 1234.50元; None if not money."""
    s = fold(s)
    if s.startswith("¥") or s.startswith("\u00a5"):
        s = s[1:].strip()
    if s.endswith("元"):
        s = s[:-1].strip()
    m = MONEY_RE.match(s)
    if not m:
        return None
    cents = (m.group(3) or "").ljust(2, "0")
    fen = int(m.group(2).replace(",", "")) * 100 + int(cents)
    return -fen if m.group(1) else fen


def parse_integer(s):
    s = fold(s)
    m = INT_RE.match(s)
    return int(s.replace(",", "")) if m else None


# ---------------------------------------------------------------------------
# Files

def sniff_encoding(path):
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    cut = head.rfind(b"\n")
    if cut > 0:
        head = head[:cut]
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def header_map(header):
    """(dataset, [column key or None per field]) for a header row, or (None, None)."""
    folded = [fold(h) for h in header]
    best = (0, None, None)
    for name, ds in SCHEMA.items():
        lookup = {}
        for canon, (key, _t, _r, aliases, _v) in ds["columns"].items():
            for spelling in (canon,) + aliases:
                lookup[fold(spelling)] = key
        keys = [lookup.get(h) for h in folded]
        required = {spec[0] for spec in ds["columns"].values() if spec[2]}
        if not required <= set(k for k in keys if k):
            continue
        score = sum(1 for k in keys if k)
        if score > best[0]:
            best = (score, name, keys)
    return best[1], best[2]


class Dataset:
    """Validated rows of one dataset, and the reasons rows were refused."""

    def __init__(self, name):
        self.name = name
        self.spec = SCHEMA[name]
        self.types = {spec[0]: spec for spec in self.spec["columns"].values()}
        self.rejected = {}
        self.duplicates = {}  # by year
        self.seen = {}
        self.files = []
        self.rows_by_year = {}

    def reject(self, reason):
        self.rejected[reason] = self.rejected.get(reason, 0) + 1


class Reader:
    def __init__(self):
        self.cache = {"id": {}, "month": {}, "date": {}, "money": {}, "integer": {}}

    def value(self, typ, text):
        """(ok, value): ok False when the text is not a valid value of typ."""
        if typ in ("text",):
            return True, text
        cache = self.cache.get(typ)
        if cache is not None and text in cache:
            v = cache[text]
        else:
            v = {"id": parse_id, "month": parse_month, "date": parse_date,
                 "money": parse_money, "integer": parse_integer}[typ](text)
            if cache is not None and typ != "money":
                cache[text] = v
            elif typ == "money" and len(cache) < 200000:
                cache[text] = v
        return v is not None, v

    def rows(self, ds, path, keys):
        """Yield dicts of parsed values for the valid rows of one file."""
        enc = sniff_encoding(path)
        ds.files.append((os.path.basename(path), enc))
        spec_by_key = ds.types
        with open(path, newline="", encoding=enc) as f:
            reader = csv.reader(f)
            next(reader)
            for fields in reader:
                if not fields:
                    continue
                if len(fields) > len(keys):
                    ds.reject("columns")
                    continue
                row = {}
                bad = None
                for key, text in zip(keys, fields):
                    if key is None:
                        continue
                    _k, typ, required, _a, allowed = spec_by_key[key]
                    text = text.strip()
                    if text == "":
                        if required:
                            bad = key + ":empty"
                            break
                        row[key] = None
                        continue
                    if typ == "enum":
                        if text not in allowed:
                            bad = key + ":enum"
                            break
                        row[key] = text
                        continue
                    ok, v = self.value(typ, text)
                    if not ok:
                        bad = key + ":" + typ
                        break
                    if typ == "money" and v < 0:
                        bad = key + ":negative"
                        break
                    row[key] = v
                if bad is None:
                    for key, (_k, _t, required, _a, _v) in spec_by_key.items():
                        if required and row.get(key) is None:
                            bad = key + ":missing"
                            break
                if bad is not None:
                    ds.reject(bad)
                    continue
                if ds.spec["unique"] and self.duplicate(ds, row):
                    y = year_of(ds, row)
                    ds.duplicates[y] = ds.duplicates.get(y, 0) + 1
                    continue
                yield row

    @staticmethod
    def duplicate(ds, row):
        """Same person, category/item and month seen before?"""
        a, b, month = ds.spec["unique"]
        key = row[a] + "|" + row[b]
        bit = 1 << ((month and (row[month] // 100 - 1900) * 12 + row[month] % 100) or 0)
        seen = ds.seen.get(key, 0)
        if seen & bit:
            return True
        ds.seen[key] = seen | bit
        return False


# ---------------------------------------------------------------------------
# Figures

def year_of(ds, row):
    v = row[ds.spec["period"]]
    return v // 100 if ds.spec["period"] == "month" else v // 10000


def relief_figures(ds, rows, year, fig, owners):
    """The relief figures of year, and of the year before (@prev)."""
    dibao = ("城市低保", "农村低保")
    years = (year, year - 1)
    persons = {(y, c): set() for y in years for c in ("城乡低保", "特困供养", "临时救助")}
    new = {}
    amount = {(y, g): 0 for y in years for g in ("城乡低保", "*")}
    nrows = {(y, g): 0 for y in years for g in ("*", "城乡低保", "临时救助")}
    households = {y: {} for y in years}
    categories = {}
    for row in rows:
        pid, cat = row["id"], row["category"]
        if categories.setdefault(pid, cat) != cat:
            fig.conflict("relief person %s in two categories" % pid[:6])
        if owners.setdefault(pid, ("relief", row.get("name"))) != ("relief", row.get("name")):
            fig.conflict("one ID, two names")
        y = year_of(ds, row)
        if y not in years:
            continue
        group = "城乡低保" if cat in dibao else cat
        nrows[(y, "*")] += 1
        persons[(y, group)].add(pid)
        amount[(y, "*")] += row["amount"]
        if cat in dibao:
            amount[(y, "城乡低保")] += row["amount"]
            nrows[(y, "城乡低保")] += 1
        if cat == "临时救助":
            nrows[(y, "临时救助")] += 1
        enrolled = row.get("enrolled")
        if enrolled and enrolled // 10000 == y:
            new.setdefault((y, group), set()).add(pid)
            new.setdefault((y, group, row.get("enrolment")), set()).add(pid)
        hh = row.get("household")
        if hh:
            entry = households[y].setdefault(hh, [set(), set()])
            entry[0].add(pid)
            entry[1].add(row["district"])

    for label, y in (("", year), ("@prev", year - 1)):
        def n_new(*key):
            return len(new.get((y,) + key, ()))

        fig.put("relief.rows" + label, nrows[(y, "*")])
        fig.put("relief.rows[城乡低保]" + label, nrows[(y, "城乡低保")])
        fig.put("relief.persons" + label,
                sum(len(persons[(y, g)]) for g in ("城乡低保", "特困供养", "临时救助")))
        fig.put("relief.amount" + label, amount[(y, "*")], money=True)
        fig.put("relief.persons[城乡低保]" + label, len(persons[(y, "城乡低保")]))
        fig.put("relief.amount[城乡低保]" + label, amount[(y, "城乡低保")], money=True)
        fig.put("relief.new[城乡低保]" + label, n_new("城乡低保"))
        for how in ("重残重病单独纳入", "回头看排查", "常规申请"):
            fig.put("relief.new[城乡低保,%s]%s" % (how, label), n_new("城乡低保", how))
        fig.put("relief.persons[特困供养]" + label, len(persons[(y, "特困供养")]))
        fig.put("relief.new[特困供养,回头看排查]" + label, n_new("特困供养", "回头看排查"))
        fig.put("relief.persons[临时救助]" + label, len(persons[(y, "临时救助")]))
        fig.put("relief.rows[临时救助]" + label, nrows[(y, "临时救助")])
        fig.put("relief.new[临时救助,回头看排查]" + label, n_new("临时救助", "回头看排查"))
        fig.put("relief.new[回头看排查,三类合计]" + label,
                sum(n_new(g, "回头看排查") for g in ("城乡低保", "特困供养", "临时救助")))
        fig.put("relief.households" + label, len(households[y]))
        fig.put("relief.households_bad" + label,
                sum(1 for p, d in households[y].values() if len(p) > 4 or len(d) != 1))
    # persons of the year before still paid in the report year, and the
    # households whose number both years use
    fig.put("relief.persons[城乡低保,两年]",
            len(persons[(year, "城乡低保")] & persons[(year - 1, "城乡低保")]))
    fig.put("relief.households[两年]", len(households[year].keys() & households[year - 1].keys()))


def children_figures(ds, rows, year, fig, owners):
    orphans = ("机构养育孤儿", "社会散居孤儿")
    per = {}
    amount = {}
    districts = {}
    ages_bad = 0
    for row in rows:
        pid = row["id"]
        if owners.setdefault(pid, ("children", row.get("name"))) != ("children", row.get("name")):
            fig.conflict("one ID in two datasets, or with two names")
        y = year_of(ds, row)
        if y not in (year, year - 1):
            continue
        cat, item = row["category"], row["item"]
        group = "孤儿" if cat in orphans and item != "明天计划" else cat
        key = (y, item, group)
        per.setdefault(key, set()).add(pid)
        per.setdefault((y, item, "*"), set()).add(pid)
        amount[(y, item)] = amount.get((y, item), 0) + row["amount"]
        if y == year:
            districts.setdefault(item, set()).add(row["district"])
            born = int(pid[6:10])
            if item == "助学金" and not (year - 22 <= born <= year - 18):
                ages_bad += 1
            if item == "基本生活费" and not (year - 18 <= born <= year - 1):
                ages_bad += 1

    def n(y, item, group):
        return len(per.get((y, item, group), ()))

    for label, y in (("", year), ("@prev", year - 1)):
        fig.put("children.persons[孤儿,基本生活费]" + label, n(y, "基本生活费", "孤儿"))
        fig.put("children.persons[事实无人抚养儿童,基本生活费]" + label,
                n(y, "基本生活费", "事实无人抚养儿童"))
        fig.put("children.amount[基本生活费]" + label, amount.get((y, "基本生活费"), 0), money=True)
        fig.put("children.persons[助学金]" + label, n(y, "助学金", "*"))
        fig.put("children.amount[助学金]" + label, amount.get((y, "助学金"), 0), money=True)
        fig.put("children.persons[明天计划,机构养育孤儿]" + label, n(y, "明天计划", "机构养育孤儿"))
        fig.put("children.persons[明天计划]" + label, n(y, "明天计划", "*"))
        fig.put("children.persons[关爱帮扶,困境儿童]" + label, n(y, "关爱帮扶", "困境儿童"))
        fig.put("children.amount[关爱帮扶]" + label, amount.get((y, "关爱帮扶"), 0), money=True)
    fig.put("children.districts[关爱帮扶]", ",".join(sorted(districts.get("关爱帮扶", ()))))
    fig.put("children.age_bad", ages_bad)


def elderly_figures(ds, rows, year, fig):
    qty, ben, funds, nrows = {}, {}, {}, {}
    for row in rows:
        y = year_of(ds, row)
        k = (y, row["kind"])
        nrows[y] = nrows.get(y, 0) + 1
        qty[k] = qty.get(k, 0) + (row.get("quantity") or 0)
        ben[k] = ben.get(k, 0) + (row.get("beneficiaries") or 0)
        funds[k] = funds.get(k, 0) + (row.get("funds") or 0)
    for label, y in (("", year), ("@prev", year - 1)):
        fig.put("elderly.rows" + label, nrows.get(y, 0))
        for kind in ("养老服务综合体", "养老驿站", "家庭智能看护"):
            fig.put("elderly.quantity[%s]%s" % (kind, label), qty.get((y, kind), 0))
        fig.put("elderly.funds[综合体+驿站+智能看护]" + label,
                sum(funds.get((y, k), 0) for k in ("养老服务综合体", "养老驿站", "家庭智能看护")),
                money=True)
        fig.put("elderly.quantity[敬老院床位改造]" + label, qty.get((y, "敬老院床位改造"), 0))
        fig.put("elderly.funds[留守老人巡访]" + label, funds.get((y, "留守老人巡访"), 0), money=True)
        fig.put("elderly.quantity[老龄食堂]" + label, qty.get((y, "老龄食堂"), 0))
        fig.put("elderly.beneficiaries[老龄食堂]" + label, ben.get((y, "老龄食堂"), 0))
        fig.put("elderly.quantity[困难老人热水器]" + label, qty.get((y, "困难老人热水器"), 0))
        fig.put("elderly.quantity[银龄保险参保]" + label, qty.get((y, "银龄保险参保"), 0))
        fig.put("elderly.funds[银龄保险参保]" + label, funds.get((y, "银龄保险参保"), 0), money=True)
        fig.put("elderly.funds[银龄保险赔付]" + label, funds.get((y, "银龄保险赔付"), 0), money=True)
        fig.put("elderly.beneficiaries[养老护理培训]" + label, ben.get((y, "养老护理培训"), 0))


def charity_figures(ds, rows, year, fig):
    amount, ben, projects, nrows = {}, {}, {}, {}
    for row in rows:
        y = year_of(ds, row)
        k = (y, row["kind"])
        nrows[y] = nrows.get(y, 0) + 1
        amount[k] = amount.get(k, 0) + row["amount"]
        ben[k] = ben.get(k, 0) + (row.get("beneficiaries") or 0)
        if row.get("project"):
            projects.setdefault(k, set()).add(row["project"])
    for label, y in (("", year), ("@prev", year - 1)):
        fig.put("charity.rows" + label, nrows.get(y, 0))
        fig.put("charity.amount[捐赠收入]" + label, amount.get((y, "捐赠收入"), 0), money=True)
        fig.put("charity.projects[项目支出]" + label, len(projects.get((y, "项目支出"), ())))
        fig.put("charity.beneficiaries[项目支出]" + label, ben.get((y, "项目支出"), 0))
        fig.put("charity.amount[项目支出]" + label, amount.get((y, "项目支出"), 0), money=True)
        fig.put("charity.amount[慰问金(品)]" + label, amount.get((y, "慰问金(品)"), 0), money=True)


class Figures:
    def __init__(self):
        self.values = {}
        self.money = set()
        self.conflicts = 0

    def put(self, name, value, money=False):
        self.values[name] = value
        if money:
            self.money.add(name)

    def conflict(self, _what):
        self.conflicts += 1

    def text(self, name):
        v = self.values[name]
        if name in self.money:
            sign = "-" if v < 0 else ""
            return "%s%d.%02d" % (sign, abs(v) // 100, abs(v) % 100)
        return str(v)


# ---------------------------------------------------------------------------
# Targets: the 2021 summary (and the sample's fixed bad rows), at scale 1

def yuan(v):
    return int(round(v * 100))


EXACT = "=="
TARGETS = [
    ("relief.persons[城乡低保]", (266500, 266999)),
    ("relief.amount[城乡低保]", (yuan(345000000.00), yuan(354999999.99))),
    ("relief.new[城乡低保]", 5717),
    ("relief.new[城乡低保,重残重病单独纳入]", 1571),
    ("relief.new[城乡低保,回头看排查]", 802),
    ("relief.persons[特困供养]", (18000, 22000)),
    ("relief.new[特困供养,回头看排查]", 96),
    ("relief.persons[临时救助]", (13000, 17000)),
    ("relief.new[临时救助,回头看排查]", 370),
    ("relief.new[回头看排查,三类合计]", 1268),
    ("relief.rows", (3000000, 3400000)),  # about 3.2 million
    ("relief.households_bad", 0),
    ("relief.households_bad@prev", 0),
    ("relief.rejected", 8),
    ("relief.duplicates", 2),
    ("children.persons[孤儿,基本生活费]", 766),
    ("children.persons[事实无人抚养儿童,基本生活费]", 562),
    # 567.8万: what rounds to it with one decimal
    ("children.amount[基本生活费]", (yuan(5677500.00), yuan(5678499.99))),
    ("children.persons[助学金]", 126),
    ("children.amount[助学金]", yuan(945000.00)),
    ("children.persons[明天计划,机构养育孤儿]", 12),
    ("children.persons[明天计划]", 12),
    ("children.persons[关爱帮扶,困境儿童]", (300, 399)),
    ("children.amount[关爱帮扶]", yuan(150000.00)),
    ("children.districts[关爱帮扶]", ",".join(sorted(("前锋区", "华蓥市", "岳池县")))),
    ("children.age_bad", 0),
    ("children.rejected", 2),
    ("children.duplicates", 0),
    ("elderly.quantity[养老服务综合体]", 16),
    ("elderly.quantity[养老驿站]", 35),
    ("elderly.quantity[家庭智能看护]", 240),
    ("elderly.funds[综合体+驿站+智能看护]", yuan(98590000.00)),
    ("elderly.quantity[敬老院床位改造]", 250),
    ("elderly.funds[留守老人巡访]", yuan(3280000.00)),
    ("elderly.quantity[老龄食堂]", 5),
    ("elderly.beneficiaries[老龄食堂]", (901, 999)),
    ("elderly.quantity[困难老人热水器]", 2000),
    ("elderly.quantity[银龄保险参保]", (75500, 76499)),
    ("elderly.funds[银龄保险参保]", yuan(4520700.00)),
    ("elderly.funds[银龄保险赔付]", yuan(2298800.00)),
    ("elderly.beneficiaries[养老护理培训]", 800),
    ("elderly.rejected", 0),
    ("charity.amount[捐赠收入]", yuan(542300.00)),
    ("charity.projects[项目支出]", 4),
    ("charity.beneficiaries[项目支出]", (2001, 2499)),
    ("charity.amount[慰问金(品)]", yuan(750000.00)),
    ("charity.rejected", 0),
    ("ids.conflicts", 0),
]

# The previous year must be there, and smaller, so growth can be shown.
GROWTH = [
    "relief.persons",
    "relief.amount",
    "relief.persons[城乡低保]",
    "relief.amount[城乡低保]",
    "relief.persons[特困供养]",
    "relief.persons[临时救助]",
    "children.persons[孤儿,基本生活费]",
    "children.persons[事实无人抚养儿童,基本生活费]",
    "children.amount[基本生活费]",
    "children.persons[助学金]",
    "children.amount[关爱帮扶]",
    "elderly.quantity[养老服务综合体]",
    "elderly.quantity[养老驿站]",
    "elderly.beneficiaries[养老护理培训]",
    "charity.amount[捐赠收入]",
    "charity.amount[慰问金(品)]",
]


# The relief of the year before is plausible (its ratio to the report
# year's figure in this range), and mostly the same persons and households.
PREV_RATIO = [
    ("relief.persons[城乡低保]", 0.95, 0.995),
    ("relief.amount[城乡低保]", 0.90, 0.98),
    ("relief.rows[城乡低保]", 0.95, 1.0),
    ("relief.persons[临时救助]", 0.90, 0.99),
]
CONTINUING = [
    # dibao persons paid in both years, of the report year's
    ("relief.persons[城乡低保,两年]", "relief.persons[城乡低保]", 0.95, 0.99),
    ("relief.households[两年]", "relief.households", 0.85, 0.99),
]


def check(fig):
    missed = []
    for name, want in TARGETS:
        have = fig.values.get(name)
        if isinstance(want, tuple):
            ok = have is not None and want[0] <= have <= want[1]
        else:
            ok = have == want
        if not ok:
            missed.append("%s = %s, expected %s" % (name, have, want))
    for name in GROWTH:
        cur, prev = fig.values.get(name), fig.values.get(name + "@prev")
        if not (prev and cur and 0 < prev < cur):
            missed.append("%s: previous year %s, report year %s: no growth to show"
                          % (name, prev, cur))
    for name, lo, hi in PREV_RATIO:
        cur, prev = fig.values.get(name), fig.values.get(name + "@prev")
        if not (cur and prev is not None and lo <= prev / cur <= hi):
            missed.append("%s: previous year %s, report year %s: ratio not in %s..%s"
                          % (name, prev, cur, lo, hi))
    for part, whole, lo, hi in CONTINUING:
        a, b = fig.values.get(part), fig.values.get(whole)
        if not (b and a is not None and lo <= a / b <= hi):
            missed.append("%s = %s of %s = %s: not in %s..%s" % (part, a, whole, b, lo, hi))
    return missed


def ntargets():
    return len(TARGETS) + len(GROWTH) + len(PREV_RATIO) + len(CONTINUING)


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--expect-seed", action="store_true",
                    help="compare with the 2021 summary's figures (scale 1); exit 1 on a miss")
    args = ap.parse_args()
    if args.expect_seed and args.year != 2021:
        ap.error("--expect-seed: the seed's figures are those of 2021")

    paths = []
    for root, _dirs, files in os.walk(args.folder):
        paths += [os.path.join(root, f) for f in files if f.lower().endswith(".csv")]
    paths.sort()
    if not paths:
        print("check_sample: no CSV in %s" % args.folder, file=sys.stderr)
        return 2

    reader = Reader()
    datasets = {name: Dataset(name) for name in SCHEMA}
    files = {name: [] for name in SCHEMA}
    for path in paths:
        enc = sniff_encoding(path)
        with open(path, newline="", encoding=enc) as f:
            header = next(csv.reader(f), [])
        name, keys = header_map(header)
        if name is None:
            print("check_sample: %s: not a known export" % path, file=sys.stderr)
            return 2
        files[name].append((path, keys))

    def rows_of(name):
        for path, keys in files[name]:
            yield from reader.rows(datasets[name], path, keys)

    fig = Figures()
    owners = {}
    relief_figures(datasets["relief"], rows_of("relief"), args.year, fig, owners)
    children_figures(datasets["children"], rows_of("children"), args.year, fig, owners)
    elderly_figures(datasets["elderly"], rows_of("elderly"), args.year, fig)
    charity_figures(datasets["charity"], rows_of("charity"), args.year, fig)
    for name, ds in datasets.items():
        fig.put(name + ".rejected", sum(ds.rejected.values()))
        fig.put(name + ".duplicates", ds.duplicates.get(args.year, 0))
        for reason, count in sorted(ds.rejected.items()):
            fig.put("%s.rejected[%s]" % (name, reason), count)
        for base, enc in ds.files:
            fig.put("%s.file[%s]" % (name, base), enc)
    fig.put("ids.conflicts", fig.conflicts)

    for name in fig.values:
        print(name, fig.text(name))

    if args.expect_seed:
        missed = check(fig)
        for m in missed:
            print("MISSED " + m)
        print("check_sample: %d of %d targets met" % (ntargets() - len(missed), ntargets()))
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
