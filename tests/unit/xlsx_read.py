#!/usr/bin/python3
# xlsx_read.py - dump an XLSX workbook as lines that test_xlsx.c asserts on.
#
# Run with Debian's /usr/bin/python3 (python3-openpyxl).  Opening the file
# with openpyxl is itself a check: a corrupt part makes this exit non-zero.
# One fact per line, fields separated by tabs:
#
#   SHEET   <index> <name>
#   CELL    <sheet> <coord> <value>          formulas as written: =SUM(B3:B8)
#   CACHED  <sheet> <coord> <value>          the stored value of a formula
#   NUMFMT  <sheet> <coord> <format>         numeric cells only
#   BOLD    <sheet> <coord>
#   ALIGN   <sheet> <coord> <horizontal>     an explicit horizontal alignment
#   BLANK   <sheet> <coord>                  a cell with a format and no value
#   MERGE   <sheet> <range>
#   FREEZE  <sheet> <cell>
#   FILTER  <sheet> <range>
#   WIDTH   <sheet> <column> <width>
#   PRINT   <sheet> paper=<n> orient=<o> fit=<bool> fitw=<n> fith=<n> titles=<rows>
#   PROP    <name> <value>
import sys

import openpyxl


def text(v):
    if isinstance(v, float):
        return repr(v)
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def dump_sheet(ws, cached):
    name = ws.title
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                if c.has_style:
                    print("BLANK\t%s\t%s" % (name, c.coordinate))
                continue
            print("CELL\t%s\t%s\t%s" % (name, c.coordinate, text(c.value)))
            if c.data_type == "f":
                print("CACHED\t%s\t%s\t%s" % (name, c.coordinate, text(cached[c.coordinate].value)))
            if isinstance(c.value, (int, float)) or c.data_type == "f":
                print("NUMFMT\t%s\t%s\t%s" % (name, c.coordinate, c.number_format))
            if c.font is not None and c.font.b:
                print("BOLD\t%s\t%s" % (name, c.coordinate))
            if c.alignment is not None and c.alignment.horizontal:
                print("ALIGN\t%s\t%s\t%s" % (name, c.coordinate, c.alignment.horizontal))
    for r in ws.merged_cells.ranges:
        print("MERGE\t%s\t%s" % (name, r.coord))
    if ws.freeze_panes:
        print("FREEZE\t%s\t%s" % (name, ws.freeze_panes))
    if ws.auto_filter.ref:
        print("FILTER\t%s\t%s" % (name, ws.auto_filter.ref))
    for col, dim in sorted(ws.column_dimensions.items()):
        if dim.customWidth:
            print("WIDTH\t%s\t%s\t%g" % (name, col, dim.width))
    ps = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr
    print("PRINT\t%s\tpaper=%s orient=%s fit=%s fitw=%s fith=%s titles=%s" % (
        name, ps.paperSize, ps.orientation, bool(fit and fit.fitToPage),
        ps.fitToWidth, ps.fitToHeight, ws.print_title_rows))


def main():
    path = sys.argv[1]
    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    for i, ws in enumerate(wb.worksheets):
        print("SHEET\t%d\t%s" % (i + 1, ws.title))
    for ws in wb.worksheets:
        dump_sheet(ws, values[ws.title])
    p = wb.properties
    for key in ("title", "subject", "creator", "keywords", "description"):
        print("PROP\t%s\t%s" % (key, text(getattr(p, key))))
    print("PROP\tcreated\t%s" % p.created.isoformat())
    print("PROP\tmodified\t%s" % p.modified.isoformat())


if __name__ == "__main__":
    main()
