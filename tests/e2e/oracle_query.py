#!/usr/bin/python3
"""oracle_query.py - civreport's figures against the oracle's, at any scale.

check_sample.py (the oracle) prints its figures under its own names, e.g.
"relief.new[城乡低保,回头看排查] 80".  This names the civreport query
expression that must give the same number, so that the engine is checked
against an independent count at the scale the suite runs (the seed's own
figures, --expect-seed, hold at scale 1 only).

  oracle_query.py expressions
      the query expressions, one per line (for civreport query)
  oracle_query.py compare ORACLE_OUT QUERY_CSV CHECK_OUT
      ORACLE_OUT: check_sample.py's output; QUERY_CSV: civreport query
      --format csv of those expressions; CHECK_OUT: civreport check's
      output.  Exit 1 on any difference, naming each.
"""

import csv
import re
import sys

LOW = "救助类别=城市低保,农村低保"


def pairs():
    """(oracle name, civreport expression) for every comparable figure."""
    # the relief figures the oracle counts for the year before too (@prev);
    # those with $year only for the report year (the query's $year is the
    # report year's in @prev as well: compare them with --year 2020 instead)
    relief = [
        ("relief.rows", "relief.rows"),
        ("relief.rows[城乡低保]", "relief.rows[%s]" % LOW),
        ("relief.persons", "relief.persons"),
        ("relief.amount", "relief.amount"),
        ("relief.persons[城乡低保]", "relief.persons[%s]" % LOW),
        ("relief.amount[城乡低保]", "relief.amount[%s]" % LOW),
        ("relief.persons[特困供养]", "relief.persons[救助类别=特困供养]"),
        ("relief.persons[临时救助]", "relief.persons[救助类别=临时救助]"),
        ("relief.rows[临时救助]", "relief.rows[救助类别=临时救助]"),
        ("relief.households", "relief.distinct(户号)"),
    ]
    out = relief + [(n + "@prev", e + "@prev") for n, e in relief] + [
        ("relief.new[城乡低保]", "relief.persons[%s; 纳入日期=$year]" % LOW),
        ("relief.new[回头看排查,三类合计]", "relief.persons[纳入日期=$year; 纳入方式=回头看排查]"),
    ]
    for how in ("重残重病单独纳入", "回头看排查", "常规申请"):
        out.append(("relief.new[城乡低保,%s]" % how,
                    "relief.persons[%s; 纳入日期=$year; 纳入方式=%s]" % (LOW, how)))
    for cat in ("特困供养", "临时救助"):
        out.append(("relief.new[%s,回头看排查]" % cat,
                    "relief.persons[救助类别=%s; 纳入日期=$year; 纳入方式=回头看排查]" % cat))
    # the oracle counts these for the report year and the one before (@prev)
    yearly = [
        ("children.persons[孤儿,基本生活费]",
         "children.persons[儿童类别=机构养育孤儿,社会散居孤儿; 项目=基本生活费]"),
        ("children.persons[事实无人抚养儿童,基本生活费]",
         "children.persons[儿童类别=事实无人抚养儿童; 项目=基本生活费]"),
        ("children.amount[基本生活费]", "children.amount[项目=基本生活费]"),
        ("children.persons[助学金]", "children.persons[项目=助学金]"),
        ("children.amount[助学金]", "children.amount[项目=助学金]"),
        ("children.persons[明天计划,机构养育孤儿]",
         "children.persons[项目=明天计划; 儿童类别=机构养育孤儿]"),
        ("children.persons[明天计划]", "children.persons[项目=明天计划]"),
        ("children.persons[关爱帮扶,困境儿童]", "children.persons[项目=关爱帮扶; 儿童类别=困境儿童]"),
        ("children.amount[关爱帮扶]", "children.amount[项目=关爱帮扶]"),
        ("elderly.rows", "elderly.rows"),
        ("elderly.funds[综合体+驿站+智能看护]",
         "elderly.amount[项目类型=养老服务综合体,养老驿站,家庭智能看护]"),
        ("charity.rows", "charity.rows"),
        ("charity.projects[项目支出]", "charity.distinct(项目名称)[收支类型=项目支出]"),
        ("charity.beneficiaries[项目支出]", "charity.sum(受益人次)[收支类型=项目支出]"),
    ]
    for kind in ("养老服务综合体", "养老驿站", "家庭智能看护", "敬老院床位改造", "老龄食堂",
                 "困难老人热水器", "银龄保险参保"):
        yearly.append(("elderly.quantity[%s]" % kind, "elderly.sum(数量)[项目类型=%s]" % kind))
    for kind in ("留守老人巡访", "银龄保险参保", "银龄保险赔付"):
        yearly.append(("elderly.funds[%s]" % kind, "elderly.amount[项目类型=%s]" % kind))
    for kind in ("老龄食堂", "养老护理培训"):
        yearly.append(("elderly.beneficiaries[%s]" % kind,
                       "elderly.sum(受益人数)[项目类型=%s]" % kind))
    for kind in ("捐赠收入", "项目支出", "慰问金(品)"):
        yearly.append(("charity.amount[%s]" % kind, "charity.amount[收支类型=%s]" % kind))
    return out + yearly + [(n + "@prev", e + "@prev") for n, e in yearly]


def number(text):
    """A figure as an exact number: money '1234.50' in fen, counts as int."""
    text = text.strip()
    if re.fullmatch(r"-?\d+\.\d\d", text):
        sign = -1 if text.startswith("-") else 1
        whole, frac = text.lstrip("-").split(".")
        return sign * (int(whole) * 100 + int(frac))
    return int(text)


# civreport check's table is for people, and its layout changes; read only
# what must hold in any layout: a dataset's total line starts with its name
# or title and holds its four counts (read, accepted, rejected, outside the
# year, with or without thousands separators), and a file's line starts
# with the file's name and names its encoding.
TITLES = {"relief": "社会救助发放明细", "children": "儿童福利发放明细",
          "elderly": "养老服务项目台账", "charity": "慈善收支明细"}
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030"}


def dataset_counts(lines, ds):
    """[read, accepted, rejected, outside] from ds's total line, or None."""
    head = re.compile(r"^\s*(%s|%s)\s" % (ds, TITLES[ds]))
    for line in lines:
        if head.match(line):
            counts = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", line)]
            if len(counts) == 4:
                return counts
    return None


def encoding_of(lines, filename):
    """The encoding civreport check names on filename's line, or None."""
    for line in lines:
        if line.startswith(filename + " "):
            for label in sorted(ENCODINGS.values(), key=len, reverse=True):
                if label in line:
                    return label
    return None


def compare(oracle_path, query_path, check_path):
    oracle = {}
    for line in open(oracle_path, encoding="utf-8"):
        name, _, value = line.rstrip("\n").rpartition(" ")
        if name:
            oracle[name] = value
    query = {}
    for row in csv.DictReader(open(query_path, encoding="utf-8")):
        if row["key"] == "":
            query[row["expression"]] = row["value"]
    bad = []
    for name, expr in pairs():
        if name not in oracle:
            bad.append("the oracle has no figure %s" % name)
        elif expr not in query:
            # no figure for a year the data do not hold (the year before
            # 2020, with --year 2020): the oracle counts 0 there
            if not (name.endswith("@prev") and number(oracle[name]) == 0):
                bad.append("civreport query gave nothing for %s" % expr)
        elif number(oracle[name]) != number(query[expr]):
            bad.append("%s: oracle %s, civreport %s = %s" % (name, oracle[name], expr, query[expr]))

    # civreport check: per dataset, rows accepted in the year and rows
    # rejected (duplicates included), and each file's encoding
    check = open(check_path, encoding="utf-8").read().splitlines()
    sets = {}
    for ds in TITLES:
        sets[ds] = dataset_counts(check, ds)
        if sets[ds] is None:
            bad.append("civreport check prints no total for %s" % ds)
            continue
        read, accepted, rejected, outside = sets[ds]
        want = int(oracle[ds + ".rejected"]) + int(oracle[ds + ".duplicates"])
        if rejected != want:
            bad.append("%s: civreport rejected %d rows, the oracle %d (bad + duplicates)"
                       % (ds, rejected, want))
        if ds + ".rows" in oracle and accepted != int(oracle[ds + ".rows"]):
            bad.append("%s: civreport accepted %d rows of the year, the oracle counts %s"
                       % (ds, accepted, oracle[ds + ".rows"]))
        if read != accepted + rejected + outside:
            bad.append("%s: the counts do not add up: %s" % (ds, sets[ds]))
    for name, enc in oracle.items():
        m = re.fullmatch(r"\w+\.file\[(.+)\]", name)
        if not m:
            continue
        said = encoding_of(check, m.group(1))
        if said != ENCODINGS[enc]:
            bad.append("%s: the oracle reads it as %s, civreport check says %s"
                       % (m.group(1), ENCODINGS[enc], said))

    for b in bad:
        print("MISMATCH " + b)
    print("oracle_query: %d figures compared, %d datasets reconciled, %d mismatches"
          % (len(pairs()), sum(c is not None for c in sets.values()), len(bad)))
    return 1 if bad else 0


def main():
    if sys.argv[1:2] == ["expressions"]:
        for _name, expr in pairs():
            print(expr)
        return 0
    if sys.argv[1:2] == ["compare"] and len(sys.argv) == 5:
        return compare(*sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
