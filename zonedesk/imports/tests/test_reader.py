"""Reading real-world 台账 sheets: where the header is, which column is which, what each
cell says. Every workbook is built here with xlsxwriter the way zones lay them out."""

import datetime
import io
from decimal import Decimal

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.money import format_wan
from zonedesk.imports import reader
from zonedesk.imports.reader import (
    column_letter,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    parse_text,
    read_table,
)

HEADERS = {
    "seq": ["序号"],
    "name": ["项目名称"],
    "total_investment": ["总投资", "计划总投资"],
    "year_plan": ["今年计划", "其中：今年计划", "年度计划投资"],
    "start": ["计划开工时间", "开工时间"],
}


def xlsx(build, *, sheet="台账") -> bytes:
    """An .xlsx made by `build(book, sheet)`, as the bytes an upload would carry."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    build(book, book.add_worksheet(sheet))
    book.close()
    return out.getvalue()


def rows_of(table):
    return [(row.number, row.values) for row in table.rows]


def names(table):
    return [row.values["name"] for row in table.rows]


# --- where the header is -----------------------------------------------------------------


def test_title_row_merged_across_the_top_is_skipped():
    def build(book, sheet):
        sheet.merge_range("A1:E1", "寿阳经开区2024年重点项目台账", book.add_format({"bold": True}))
        sheet.write_row("A2", ["序号", "项目名称", "总投资", "今年计划", "计划开工时间"])
        sheet.write_row("A3", [1, "造纸产业园扩建", 35000, 12000, "2024-03-01"])
        sheet.write_row("A4", [2, "光伏发电项目", 8000, 3000, "2024-05-01"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.header_row == 2
    assert table.columns == {
        "seq": 0,
        "name": 1,
        "total_investment": 2,
        "year_plan": 3,
        "start": 4,
    }
    assert table.missing == []
    assert table.sheet == "台账"
    assert rows_of(table) == [
        (
            3,
            {
                "seq": 1,
                "name": "造纸产业园扩建",
                "total_investment": 35000,
                "year_plan": 12000,
                "start": "2024-03-01",
            },
        ),
        (
            4,
            {
                "seq": 2,
                "name": "光伏发电项目",
                "total_investment": 8000,
                "year_plan": 3000,
                "start": "2024-05-01",
            },
        ),
    ]


def test_two_level_header_with_merged_group_title_reads_the_lower_row():
    # Row 3: 计划总投资 merged over two columns, 项目名称 merged down over rows 3–4.
    # Row 4: 总投资(万元) | 其中：今年计划(万元). The group title is itself an accepted
    # header for 总投资, which must not stop the reader from taking the row below.
    def build(book, sheet):
        center = book.add_format({"align": "center", "valign": "vcenter"})
        sheet.merge_range("A1:E1", "寿阳经开区2024年重点项目台账", center)
        sheet.merge_range("A3:A4", "序号", center)
        sheet.merge_range("B3:B4", "项目名称", center)
        sheet.merge_range("C3:D3", "计划总投资", center)
        sheet.write("C4", "总投资(万元)")
        sheet.write("D4", "其中：今年计划(万元)")
        sheet.merge_range("E3:E4", "计划开工\n时间", center)
        sheet.write_row("A5", [1, "造纸产业园扩建", 35000, 12000, "2024.3.1"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.header_row == 4
    assert table.columns == {
        "seq": 0,
        "name": 1,
        "total_investment": 2,
        "year_plan": 3,
        "start": 4,
    }
    assert table.units == {"total_investment": "万元", "year_plan": "万元"}
    assert rows_of(table) == [
        (
            5,
            {
                "seq": 1,
                "name": "造纸产业园扩建",
                "total_investment": 35000,
                "year_plan": 12000,
                "start": "2024.3.1",
            },
        )
    ]


def test_two_level_header_group_unit_applies_to_every_column_under_it():
    def build(book, sheet):
        sheet.write("A1", "项目名称")
        sheet.merge_range("B1:C1", "投资情况（亿元）", book.add_format({}))
        sheet.write_row("B2", ["总投资", "年度计划投资"])
        sheet.write_row("A3", ["光伏发电项目", 1.5, 0.3])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.header_row == 2
    assert table.columns == {"name": 0, "total_investment": 1, "year_plan": 2}
    assert table.units == {"total_investment": "亿元", "year_plan": "亿元"}
    row = table.rows[0].values
    assert parse_amount(row["total_investment"], table.units["total_investment"]) == 15000
    assert parse_amount(row["year_plan"], table.units["year_plan"]) == 3000


def test_two_level_header_joins_upper_and_lower_text_when_only_together_they_match():
    def build(book, sheet):
        sheet.write("A1", "项目名称")
        sheet.merge_range("B1:C1", "计划开工", book.add_format({}))
        sheet.write_row("B2", ["时间", "地点"])
        sheet.write_row("A3", ["光伏发电项目", "2024年3月", "寿阳"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.columns == {"name": 0, "start": 1}
    assert table.header_row == 2
    assert rows_of(table) == [(3, {"name": "光伏发电项目", "start": "2024年3月"})]


def test_without_merge_information_a_group_title_is_carried_right():
    # Some writers store no merged ranges; calamine then gives None and the group title
    # only in its first cell.
    grid = [
        ["项目名称", "投资（亿元）", "", "备注"],
        ["", "总投资", "今年计划", ""],
        ["光伏发电项目", 1.5, 0.3, ""],
    ]

    table = reader._find_table(grid, None, HEADERS)

    assert table.columns == {"name": 0, "total_investment": 1, "year_plan": 2}
    assert table.units == {"total_investment": "亿元", "year_plan": "亿元"}
    assert rows_of(table) == [
        (3, {"name": "光伏发电项目", "total_investment": 1.5, "year_plan": 0.3})
    ]


def test_header_variants_are_matched_with_their_units():
    def build(book, sheet):
        sheet.write_row(
            "A1",
            [
                "＊项目\u3000名称",
                "总投资（亿元）",
                "其中:年度计划投资 (万元)",
                " 开工时间 ",
                "备注",
            ],
        )
        sheet.write_row("A2", ["光伏发电项目", 1.5, 3000, 45352, "无"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.columns == {"name": 0, "total_investment": 1, "year_plan": 2, "start": 3}
    assert table.units == {"total_investment": "亿元", "year_plan": "万元"}
    assert table.missing == ["seq"]


def test_header_written_with_a_slash_unit_or_a_bracketed_remark():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "总投资/元", "计划开工时间（年月）"])
        sheet.write_row("A2", ["光伏发电项目", 3_500_000, "2024年3月"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.columns == {"name": 0, "total_investment": 1, "start": 2}
    assert table.units == {"total_investment": "元"}
    value = table.rows[0].values["total_investment"]
    assert parse_amount(value, table.units["total_investment"]) == Decimal("350")


def test_missing_headers_are_listed_for_the_caller_not_refused():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "建设单位"])
        sheet.write_row("A2", ["光伏发电项目", "某公司"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.columns == {"name": 0}
    assert table.missing == ["seq", "total_investment", "year_plan", "start"]
    assert names(table) == ["光伏发电项目"]


def test_sheet_without_any_known_header_gives_an_empty_table():
    table = read_table(
        xlsx(lambda book, sheet: sheet.write_row("A1", ["甲", "乙"])), headers=HEADERS
    )

    assert (table.columns, table.rows, table.header_row) == ({}, [], 0)
    assert table.missing == list(HEADERS)


def test_first_visible_sheet_is_read_and_hidden_ones_ignored():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    hidden = book.add_worksheet("填表说明")
    hidden.write_row("A1", ["项目名称"])
    hidden.write_row("A2", ["不该读到的项目"])
    hidden.hide()
    visible = book.add_worksheet("项目台账")
    visible.write_row("A1", ["项目名称"])
    visible.write_row("A2", ["光伏发电项目"])
    visible.activate()
    book.add_worksheet("汇总").write_row("A1", ["项目名称"])
    book.close()

    table = read_table(out.getvalue(), headers=HEADERS)

    assert table.sheet == "项目台账"
    assert names(table) == ["光伏发电项目"]


# --- rows that are not records -------------------------------------------------------------


def test_units_row_under_the_header_is_skipped_and_supplies_units():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "总投资", "今年计划", "计划开工时间"])
        sheet.write_row("A2", ["", "（亿元）", "单位：万元", "年月"])
        sheet.write_row("A3", ["光伏发电项目", 1.5, 3000, "2024/3"])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.header_row == 1
    assert table.units == {"total_investment": "亿元", "year_plan": "万元"}
    assert [row.number for row in table.rows] == [3]


def test_example_and_column_number_rows_under_the_header_are_skipped():
    def build(book, sheet):
        sheet.write_row("A1", ["序号", "项目名称", "总投资"])
        sheet.write_row("A2", ["甲", "乙", 1])
        sheet.write_row("A3", ["示例", "XX产业园项目", 1000])
        sheet.write_row("A4", [1, "光伏发电项目", 8000])

    table = read_table(xlsx(build), headers=HEADERS)

    assert [row.number for row in table.rows] == [4]


def test_table_wide_unit_note_above_the_header_applies_to_columns_without_one():
    def build(book, sheet):
        sheet.write("A1", "2024年重点项目台账")
        sheet.write("C2", "单位：亿元")
        sheet.write_row("A3", ["项目名称", "总投资", "今年计划(万元)"])
        sheet.write_row("A4", ["光伏发电项目", 1.5, 3000])

    table = read_table(xlsx(build), headers=HEADERS)

    assert table.units["total_investment"] == "亿元"
    assert table.units["year_plan"] == "万元"


def test_blank_separator_rows_and_totals_rows_are_skipped_with_row_numbers_kept():
    def build(book, sheet):
        sheet.write_row("A1", ["序号", "项目名称", "总投资"])
        sheet.write_row("A2", [1, "造纸产业园扩建", 35000])
        sheet.write_row("A4", [2, "光伏发电项目", 8000])  # row 3 left blank
        sheet.write_row("A5", ["", "小计", 43000])
        sheet.write_row("A7", [3, "物流园一期", 5000])
        sheet.write_row("A8", ["", "  ", None])  # only spaces: blank too
        sheet.write_row("A9", ["合 计", "", 48000])
        sheet.write_row("A10", ["", "总计（3个）", 48000])
        sheet.write_row("A11", [4, "总计划投资调度平台", 900])

    table = read_table(xlsx(build), headers=HEADERS)

    assert [(row.number, row.values["name"]) for row in table.rows] == [
        (2, "造纸产业园扩建"),
        (4, "光伏发电项目"),
        (7, "物流园一期"),
        (11, "总计划投资调度平台"),
    ]


def test_empty_cells_are_none_and_other_values_raw():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "总投资", "计划开工时间"])
        sheet.write_row("A2", ["  光伏 项目 ", "", None])
        sheet.write_datetime(
            "C3", datetime.datetime(2024, 3, 1), book.add_format({"num_format": "yyyy-mm-dd"})
        )
        sheet.write("A3", "物流园")
        sheet.write("B3", True)

    table = read_table(xlsx(build), headers=HEADERS)

    assert rows_of(table) == [
        (2, {"name": "  光伏 项目 ", "total_investment": None, "start": None}),
        (3, {"name": "物流园", "total_investment": True, "start": datetime.date(2024, 3, 1)}),
    ]


def test_codes_typed_as_numbers_read_back_as_the_digits_typed():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "序号"])
        sheet.write_row("A2", ["光伏发电项目", 13800138000])

    table = read_table(xlsx(build), headers=HEADERS)

    assert parse_text(table.rows[0].values["seq"]) == "13800138000"


# --- amounts and dates as they are typed ---------------------------------------------------


def test_amounts_as_numbers_text_chinese_numerals_and_with_units():
    typed = [
        (35000, Decimal("35000")),
        (1234.5678, Decimal("1234.5678")),
        ("35,000", Decimal("35000")),
        ("三亿", Decimal("30000")),
        ("1.2亿元", Decimal("12000")),
        ("5000万", Decimal("5000")),
        ("3500000元", Decimal("350")),
        ("柒拾陆亿陆仟肆佰万元", Decimal("766400")),
        ("—", None),
        ("", None),
    ]

    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "总投资（万元）"])
        for i, (value, _) in enumerate(typed, start=1):
            sheet.write_row(i, 0, [f"项目{i}", value])

    table = read_table(xlsx(build), headers=HEADERS)
    unit = table.units["total_investment"]

    amounts = [parse_amount(row.values["total_investment"], unit) for row in table.rows]
    assert amounts == [expected for _, expected in typed]


def test_amount_column_in_yi_converts_plain_numbers_but_not_amounts_naming_their_unit():
    assert parse_amount(1.5, "亿元") == Decimal("15000")
    assert parse_amount("1.5", "亿元") == Decimal("15000")
    assert parse_amount("3000万", "亿元") == Decimal("3000")


def test_dates_as_excel_serials_date_cells_and_every_written_form():
    typed = [
        45352,
        45352.75,
        datetime.datetime(2024, 3, 1, 9, 30),
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "2024 年 3 月 1 日",
        "2024-03-01 00:00:00",
        "2024年3月",
        "2024/3",
        "2024-03",
        "2024.3",
        2024.3,
        "２０２４／３／１",
        20240301,
    ]

    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "计划开工时间"])
        dated = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for i, value in enumerate(typed, start=1):
            sheet.write(i, 0, f"项目{i}")
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(i, 1, value, dated)
            else:
                sheet.write(i, 1, value)

    table = read_table(xlsx(build), headers=HEADERS)

    dates = [parse_date(row.values["start"]) for row in table.rows]
    assert dates == [datetime.date(2024, 3, 1)] * len(typed)


# --- value parsers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("-", None),
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
        (1, datetime.date(1900, 1, 1)),
        (59, datetime.date(1900, 2, 28)),
        (61, datetime.date(1900, 3, 1)),
        ("45352", datetime.date(2024, 3, 1)),
        ("2024年3月1号", datetime.date(2024, 3, 1)),
        ("2024年12月份", datetime.date(2024, 12, 1)),
        ("2024-03-01T10:30", datetime.date(2024, 3, 1)),
        ("2024.1", datetime.date(2024, 1, 1)),  # text keeps what was typed
        (2024.12, datetime.date(2024, 12, 1)),
    ],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024年13月", "无法识别的日期“2024年13月”"),
        ("2024-02-30", "无法识别的日期“2024-02-30”"),
        ("明年三月", "无法识别的日期“明年三月”"),
        ("2024-3/1", "无法识别的日期“2024-3/1”"),
        ("24.3.1", "无法识别的日期“24.3.1”"),
        (60, "无法识别的日期“60”"),
        (0, "无法识别的日期“0”"),
        (-5.0, "无法识别的日期“-5”"),
        (3_000_000, "无法识别的日期“3000000”"),
        (True, "无法识别的日期“是”"),
        (datetime.time(9, 30), "无法识别的日期“09:30:00”"),
        (2024, "无法识别的日期“2024”：只有年份，请写成 2024年3月 或 2024-03-01"),
        ("2024", "无法识别的日期“2024”：只有年份，请写成 2024年3月 或 2024-03-01"),
        (2024.1, "无法识别的日期“2024.1”：分不清是1月还是10月，请写成 2024-01"),
        ("1850-01-01", "日期“1850-01-01”超出合理范围（1900—2100年）"),
    ],
)
def test_parse_date_refuses_with_a_message_about_the_value(value, message):
    with pytest.raises(ValueError) as refused:
        parse_date(value)
    assert str(refused.value) == message


# From 1906: the Excel serials of earlier days (1900–2100) read as a bare year, which the
# reader refuses on purpose; no ledger holds a date that old.
DATES = st.dates(min_value=datetime.date(1906, 1, 1), max_value=datetime.date(2100, 12, 31))
DAY_FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}/{d.month:02}/{d.day:02}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}-{d.month}-{d.day} 00:00:00",
    lambda d: (d - datetime.date(1899, 12, 30)).days,  # Excel serial
    lambda d: float((d - datetime.date(1899, 12, 30)).days) + 0.5,
    lambda d: datetime.datetime(d.year, d.month, d.day, 8),
]
MONTH_FORMATS = [
    lambda d: f"{d.year}年{d.month}月",
    lambda d: f"{d.year}/{d.month}",
    lambda d: f"{d.year}-{d.month:02}",
    lambda d: f"{d.year}.{d.month}",
]


@given(DATES, st.sampled_from(DAY_FORMATS))
def test_any_date_written_in_any_day_format_parses_back(day, write):
    assert parse_date(write(day)) == day


@given(DATES, st.sampled_from(MONTH_FORMATS))
def test_any_month_written_in_any_month_format_parses_to_its_first_day(day, write):
    assert parse_date(write(day)) == day.replace(day=1)


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=2))
def test_amounts_formatted_by_format_wan_parse_back(amount):
    assert parse_amount(format_wan(amount), "万元") == amount


@given(st.decimals(min_value=0, max_value=10**9, places=4))
def test_amounts_stored_by_excel_as_floats_parse_back_without_binary_noise(amount):
    assert parse_amount(float(amount), "万元") == amount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("约三亿", "无法识别的金额“约三亿”"),
        ("1-2亿", "无法识别的金额“1-2亿”"),
        (True, "无法识别的金额“True”"),
        (float("nan"), "无法识别的金额“nan”"),
    ],
)
def test_parse_amount_refuses_hedged_or_unreadable_amounts(value, message):
    with pytest.raises(ValueError) as refused:
        parse_amount(value, "万元")
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  造纸\n 产业园\u3000 ", "造纸 产业园"),
        (12.0, "12"),
        (2019140725440301.0, "2019140725440300"),
        (0.1 + 0.2, "0.3"),
        (1.5, "1.5"),
        (12, "12"),
        (True, "是"),
        (Decimal("3.50"), "3.50"),
        (datetime.datetime(2024, 3, 1), "2024-03-01"),
        (datetime.datetime(2024, 3, 1, 9, 30), "2024-03-01 09:30:00"),
        (datetime.date(2024, 3, 1), "2024-03-01"),
    ],
)
def test_parse_text(value, expected):
    assert parse_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("—", None),
        (12, 12),
        (12.0, 12),
        ("1,200", 1200),
        (" 35 ", 35),
        ("12.0", 12),
        ("十二", 12),
        ("1.2万", 12000),
        ("-3", -3),
    ],
)
def test_parse_int_accepts(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, "不是整数“1.5”"),
        ("1.5", "不是整数“1.5”"),
        ("三点五", "不是整数“三点五”"),
        ("十来个", "无法识别的整数“十来个”"),
        (True, "无法识别的整数“是”"),
    ],
)
def test_parse_int_refuses(value, message):
    with pytest.raises(ValueError) as refused:
        parse_int(value)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("√", True),
        ("✓", True),
        ("×", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        (True, True),
        (None, False),
        ("", False),
        (" 是 ", True),
    ],
)
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


def test_parse_bool_refuses_anything_else():
    with pytest.raises(ValueError) as refused:
        parse_bool("待定")
    assert str(refused.value) == "无法识别的是/否“待定”，请填写“是”或“否”"


def test_column_letter_matches_excel():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
        "XFD",
    ]
