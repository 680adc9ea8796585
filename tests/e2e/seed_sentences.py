"""The sentences of the default template that tell figures, with the
numbers metrics.json holds, half-width marks as the tests compare them.

    /usr/bin/python3 tests/e2e/seed_sentences.py metrics.json   # one per line

t_report.sh looks for them in the PDF's text, t_docx.sh in the DOCX's.
"""
import json
import sys


def sentences(metrics_path):
    m = {f["expression"]: f["value"]
         for f in json.load(open(metrics_path, encoding="utf-8"))["figures"]}
    back = "relief.persons[纳入日期=$period; 纳入方式=回头看排查%s]"
    new = "relief.persons[救助类别=城市低保,农村低保; 纳入日期=$period%s]"
    qty = "elderly.sum(数量)[项目类型=%s]"
    return [
        "及时将%d名符合社会救助政策人员纳入兜底保障范围,其中低保%d人、特困人员救助供养%d人、临时救助%d人"
        % (m[back % ""], m[back % "; 救助类别=城市低保,农村低保"], m[back % "; 救助类别=特困供养"],
           m[back % "; 救助类别=临时救助"]),
        "新增城乡低保对象%d人,其中重残重病困难群众单独纳入低保%d人"
        % (m[new % ""], m[new % "; 纳入方式=重残重病单独纳入"]),
        "为%d名孤儿、%d名事实无人抚养儿童发放基本生活费"
        % (m["children.persons[儿童类别=机构养育孤儿,社会散居孤儿; 项目=基本生活费]"],
           m["children.persons[儿童类别=事实无人抚养儿童; 项目=基本生活费]"]),
        "为%d名超龄在校孤儿发放助学基金" % m["children.persons[项目=助学金]"],
        "将%d名机构养育孤儿纳入资助范围" % m["children.persons[项目=明天计划]"],
        "实施慈善项目%d个" % m["charity.distinct(项目名称)[收支类型=项目支出]"],
        "建设养老服务综合体%d个、养老驿站%d个,安装家庭智能看护系统%d套"
        % (m[qty % "养老服务综合体"], m[qty % "养老驿站"], m[qty % "家庭智能看护"]),
        "集中改造农村敬老院床位%d张" % m[qty % "敬老院床位改造"],
        "为%d户困难独居老人安装热水器" % m[qty % "困难老人热水器"],
    ]


if __name__ == "__main__":
    for s in sentences(sys.argv[1]):
        print(s)
