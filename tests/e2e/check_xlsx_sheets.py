#!/usr/bin/python3
"""check_xlsx_sheets.py XLSX PDFTEXT METRICS - the workbook's 指标 sheet and
chart data sheets of the default report, read back with openpyxl.

PDFTEXT is the PDF's text flattened as t_report.sh makes it (no line breaks,
no folios, full-width marks as half-width).  Checks:

- 指标: the columns 指标 数值 单位 报告中的写法 表达式; every row's 写法 is
  text the PDF shows, its label the clause of the PDF it stands in (the
  figure marked 【…】), a number in 数值 has a unit; the 低保 persons and
  money of "为…名城乡困难群众发放低保金…元" with their labels, units and
  metrics.json's values.
- chart data sheets (图N): every column of numbers is headed "名称（单位）"
  with one unit, and no unit row stands apart from the headings.

Run with Debian's /usr/bin/python3 (python3-openpyxl); exits non-zero on
the first failed check.
"""
import json
import re
import sys

import openpyxl

HALF = str.maketrans("，；：（）！？", ",;:()!?")
HEAD = re.compile(r"^[^（）]+（([^（）]+)）$")


def half(s):
    return s.translate(HALF)


def check_figures(wb, pdf, metrics):
    ws = wb["指标"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["指标", "数值", "单位", "报告中的写法", "表达式"], rows[0]
    body = rows[1:]
    assert body, "指标 has no figures"
    for label, value, unit, text, expr in body:
        assert label and expr and text, (label, value, unit, text, expr)
        assert " | " in expr, ("表达式 lacks its formatter", expr)
        assert half(text) in pdf, ("报告中的写法 is not in the PDF", text)
        if value is not None:
            assert isinstance(value, (int, float)), ("数值 is not a number", label, value)
            assert unit, ("a number without its unit", label, value)
        if "【" in label:
            # the clause as the report prints it
            clause = label.strip("…").replace("【", "").replace("】", "")
            assert half(clause) in pdf, ("指标 is not a clause of the PDF", label)
            assert "【%s】" % text in label, ("指标 does not mark the figure", label, text)
    by_expr = {}
    for r in body:  # the first use of each: the seed sentence's, not its growth's
        by_expr.setdefault(r[4].split(" | ")[0], r)
    persons = by_expr["relief.persons[救助类别=城市低保,农村低保]"]
    amount = by_expr["relief.amount[救助类别=城市低保,农村低保]"]
    assert "城乡困难群众" in persons[0], persons
    assert persons[2] == "人", persons
    assert persons[1] == metrics["relief.persons[救助类别=城市低保,农村低保]"]["value"], persons
    assert "发放低保金" in amount[0], amount
    assert amount[2] == "元", amount
    fen = metrics["relief.amount[救助类别=城市低保,农村低保]"]["value"]
    assert abs(amount[1] - fen / 100) < 0.005, (amount, fen)
    sentence = "为%s名城乡困难群众发放低保金%s元" % (persons[3], amount[3])
    assert half(sentence) in pdf, ("the PDF lacks", sentence)
    print("指标: %d figures; the 低保 sentence's: %s %s, %s %s" % (
        len(body), persons[1], persons[2], amount[1], amount[2]))


def check_chart_sheets(wb):
    charts = [n for n in wb.sheetnames if n.startswith("图")]
    assert len(charts) >= 5, wb.sheetnames
    for name in charts:
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        heads, data = rows[1], rows[2:]
        for r in rows:
            for v in r:
                assert not (isinstance(v, str) and v.startswith("单位")), (name, "a unit row", v)
        numeric = [c for c in range(len(heads))
                   if any(isinstance(r[c], (int, float)) for r in data if c < len(r))]
        assert numeric, (name, "no numbers")
        for c in numeric:
            m = HEAD.match(heads[c] or "")
            assert m, (name, "a column of numbers without its unit", heads[c])
        print("%s: %s" % (name, ", ".join(heads[c] for c in numeric)))
    return charts


def main():
    xlsx, pdftext, metrics_path = sys.argv[1:4]
    pdf = open(pdftext, encoding="utf-8").read()
    metrics = {f["expression"]: f
               for f in json.load(open(metrics_path, encoding="utf-8"))["figures"]}
    wb = openpyxl.load_workbook(xlsx)
    check_figures(wb, pdf, metrics)
    charts = check_chart_sheets(wb)
    # 图6 counts 个: both series in it
    g6 = [n for n in charts if "养老服务综合体" in n]
    if g6:
        heads = [c.value for c in wb[g6[0]][2]]
        assert "养老服务综合体（个）" in heads and "养老驿站（个）" in heads, heads


main()
