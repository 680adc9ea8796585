#!/usr/bin/python3
"""check_sample_xlsx.py XLSX_DIR CSV_DIR [--sheet-rows N]

Compare the relief workbooks of `civreport sample --format xlsx` (in
XLSX_DIR) with the relief CSV files of the same sample written as CSV (in
CSV_DIR, same year, scale and seed), with Debian's openpyxl in read-only
mode, as another program would read them:

- each relief-<district>.csv has a relief-<district>.xlsx, and no .csv of
  relief is left beside it; the other datasets are the same bytes;
- every sheet is named after the district (the second "区县(2)", ...), has
  the title in A1 (merged across the header's columns, row 1 otherwise
  empty) and the CSV's header in row 2;
- the data rows of the sheets, in order, are the CSV's rows: the same
  count, each text cell exactly the CSV field's value, an empty field an
  empty cell;
- numbers are in the money column only, exactly where the CSV field is a
  plain decimal (1234.50, 1234.5, 1234), and equal to it to the fen; every
  other spelling there ("1,234.50", 1234.50元, a broken 12O.00) is text, so
  a bad row stays bad the same way;
- with --sheet-rows N, every sheet but the last holds exactly N data rows.

Prints one line per workbook and exits 1 at the first difference.
"""
import csv
import decimal
import io
import os
import re
import sys
import zipfile

import openpyxl

MONEY_HEADERS = {"发放金额", "金额(元)"}
PLAIN = re.compile(r"^[0-9]{1,13}(\.[0-9]{1,2})?$")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def read_csv(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
    return list(csv.reader(io.StringIO(text, newline="")))


def col_letter(n):
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def fen_of_text(s):
    return int(decimal.Decimal(s) * 100)


def fen_of_number(v):
    d = decimal.Decimal(repr(v)) * 100
    f = int(d.to_integral_value(rounding=decimal.ROUND_HALF_EVEN))
    if abs(d - f) > decimal.Decimal("0.000001"):
        return None  # more than two decimals
    return f


def merges(path, ncols):
    """Sheets whose XML merges A1 across the header's columns."""
    want = '<mergeCell ref="A1:%s1"/>' % col_letter(ncols)
    n = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                if want not in xml:
                    fail("%s: %s lacks %s" % (path, name, want))
                n += 1
    return n


def check_workbook(xpath, cpath, district, sheet_rows):
    rows = read_csv(cpath)
    header, data = rows[0], rows[1:]
    ncols = len(header)
    money = [i for i, h in enumerate(header) if h in MONEY_HEADERS]
    if len(money) != 1:
        fail("%s: no money column in %r" % (cpath, header))
    money = money[0]

    wb = openpyxl.load_workbook(xpath, read_only=True)
    names = wb.sheetnames
    for i, name in enumerate(names):
        want = district if i == 0 else "%s(%d)" % (district, i + 1)
        if name != want:
            fail("%s: sheet %d is %r, want %r" % (xpath, i + 1, name, want))
    if merges(xpath, ncols) != len(names):
        fail("%s: %d sheets, but not as many sheet parts" % (xpath, len(names)))

    k = 0  # the CSV data row to compare next
    numbers = texts = 0
    for si, name in enumerate(names):
        it = wb[name].iter_rows(values_only=True)
        title = next(it, None)
        if title is None or not isinstance(title[0], str) or "明细表" not in title[0]:
            fail("%s/%s: row 1 is %r, want the title" % (xpath, name, title))
        if district not in title[0] or any(v is not None for v in title[1:]):
            fail("%s/%s: title row %r" % (xpath, name, title))
        got = next(it, None)
        if got is None or list(got[:ncols]) != header or any(v is not None for v in got[ncols:]):
            fail("%s/%s: row 2 is %r, want the header %r" % (xpath, name, got, header))
        n = 0
        for r, row in enumerate(it, start=3):
            if k >= len(data):
                fail("%s/%s row %d: more rows than the CSV's %d" % (xpath, name, r, len(data)))
            want = data[k] + [""] * (ncols - len(data[k]))
            cells = list(row) + [None] * (ncols - len(row))
            if len(cells) != ncols:
                fail("%s/%s row %d: %d cells, want %d" % (xpath, name, r, len(cells), ncols))
            for c, (v, t) in enumerate(zip(cells, want)):
                where = "%s/%s %s%d" % (xpath, name, col_letter(c + 1), r)
                plain = c == money and PLAIN.match(t) is not None
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    if not plain:
                        fail("%s: number %r where the CSV has %r" % (where, v, t))
                    f = fen_of_number(v)
                    if f is None or f != fen_of_text(t):
                        fail("%s: %r is not %s to the fen" % (where, v, t))
                    numbers += 1
                elif plain:
                    fail("%s: text %r where the CSV has the plain decimal %r" % (where, v, t))
                elif v is None:
                    if t != "":
                        fail("%s: empty, the CSV has %r" % (where, t))
                elif not isinstance(v, str) or v != t:
                    fail("%s: %r, the CSV has %r" % (where, v, t))
                elif c == money:
                    texts += 1
            k += 1
            n += 1
        if sheet_rows and si + 1 < len(names) and n != sheet_rows:
            fail("%s/%s: %d data rows, want %d before the next sheet" % (xpath, name, n, sheet_rows))
    wb.close()
    if k != len(data):
        fail("%s: %d data rows, the CSV has %d" % (xpath, k, len(data)))
    print("%s: %d sheet(s), %d rows as in the CSV; amounts: %d numbers, %d texts"
          % (os.path.basename(xpath), len(names), k, numbers, texts))
    return len(names), numbers, texts


def main():
    args = sys.argv[1:]
    sheet_rows = 0
    if "--sheet-rows" in args:
        i = args.index("--sheet-rows")
        sheet_rows = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        fail("usage: check_sample_xlsx.py XLSX_DIR CSV_DIR [--sheet-rows N]")
    xdir, cdir = args
    books = sheets = numbers = texts = 0
    for f in sorted(os.listdir(cdir)):
        if f.startswith("."):
            continue
        if not (f.startswith("relief-") and f.endswith(".csv")):
            if open(os.path.join(xdir, f), "rb").read() != open(os.path.join(cdir, f), "rb").read():
                fail("%s differs from the CSV sample's" % f)
            continue
        district = f[len("relief-"):-len(".csv")]
        if os.path.exists(os.path.join(xdir, f)):
            fail("%s: a relief CSV beside the workbooks" % f)
        s, n, t = check_workbook(os.path.join(xdir, "relief-%s.xlsx" % district),
                                 os.path.join(cdir, f), district, sheet_rows)
        books += 1
        sheets += s
        numbers += n
        texts += t
    if books != 6:
        fail("%d relief workbooks, want 6" % books)
    # the money spellings of the sample: mostly plain decimals, some not
    if numbers == 0 or texts == 0:
        fail("amounts: %d numbers, %d texts: want both" % (numbers, texts))
    print("ok: %d workbooks, %d sheets, the CSV sample's rows; amounts %d numbers, %d texts"
          % (books, sheets, numbers, texts))


main()
