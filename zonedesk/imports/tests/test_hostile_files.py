"""Hostile or mistaken uploads get a clear Chinese refusal and do the server no harm.

Each refusal happens before python-calamine parses the sheet: several of these files would
otherwise make it allocate gigabytes and abort the process rather than raise.
"""

import io
import random
import zipfile

import pytest
import xlsxwriter

from zonedesk.imports.reader import ImportRefused, read_table

from .test_reader import HEADERS, names, xlsx

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = "不是有效的 Excel 文件，请上传 .xlsx 格式的工作簿"
TEXT_FILE = "文件内容是文本（如 CSV 或网页导出的表格），请用 Excel 打开后另存为 .xlsx 再上传"
BOMB = "文件解压后体积异常（疑似压缩炸弹），已拒绝"
CORRUPT = "文件已损坏或无法读取，请用 Excel 打开并另存为 .xlsx 后再上传"

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'


def handmade(sheet_data: str, *, workbook: str = WORKBOOK) -> bytes:
    """A minimal .xlsx around hand-written sheet XML, for shapes xlsxwriter never writes."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(ImportRefused) as refused:
        read_table(data, headers=HEADERS, **limits)
    return str(refused.value)


def ledger(book, sheet, rows=3):
    sheet.write_row("A1", ["项目名称", "总投资"])
    for i in range(rows):
        sheet.write_row(i + 1, 0, [f"项目{i + 1}", 1000 + i])


# --- not an .xlsx at all -------------------------------------------------------------------


def test_plain_text_renamed_to_xlsx_is_refused_as_text():
    assert refusal("这不是表格，只是改了扩展名的说明文字。\n".encode()) == TEXT_FILE


def test_csv_in_utf8_or_gbk_is_refused_as_text():
    csv = "项目名称,总投资\n光伏发电项目,8000\n"
    assert refusal(csv.encode("utf-8-sig")) == TEXT_FILE
    assert refusal(csv.encode("gbk")) == TEXT_FILE


def test_utf16_text_export_is_refused_as_text():
    assert refusal("项目名称\t总投资\n".encode("utf-16")) == TEXT_FILE


def test_html_table_saved_as_xls_by_old_web_systems_is_refused_as_text():
    page = "<html><body><table><tr><td>项目名称</td></tr></table></body></html>"
    assert refusal(page.encode()) == TEXT_FILE


def test_random_bytes_are_refused():
    noise = random.Random(20240301).randbytes(64 * 1024)
    assert refusal(noise) == NOT_XLSX


def test_empty_upload_is_refused():
    assert refusal(b"") == "文件是空的"


def test_legacy_xls_is_asked_to_be_saved_as_xlsx():
    xls = CFB + bytes(504) + "Workbook".encode("utf-16-le") + bytes(4096)
    assert refusal(xls) == "这是旧版 Excel（.xls）文件，请另存为 .xlsx 后上传"


def test_password_protected_workbook_is_refused_as_encrypted():
    encrypted = (
        CFB
        + bytes(504)
        + "EncryptionInfo".encode("utf-16-le")
        + bytes(64)
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(4096)
    )
    assert refusal(encrypted) == "文件已加密，请先取消密码再上传"


def test_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(out.getvalue()) == NOT_XLSX


def test_ods_and_xlsb_are_named_and_asked_to_be_saved_as_xlsx():
    ods, xlsb = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert "（.ods）" in refusal(ods.getvalue())
    assert "（.xlsb）" in refusal(xlsb.getvalue())


def test_truncated_upload_is_refused():
    data = xlsx(ledger)
    assert refusal(data[: len(data) // 2]) == NOT_XLSX


# --- too big, or bigger inside than outside ------------------------------------------------


def test_oversized_file_is_refused_before_opening():
    three_kb = b"PK\x03\x04" + bytes(3 * 1024 - 4)
    assert refusal(three_kb, max_bytes=2048) == "文件过大（3 KB），上限为 2 KB"
    assert refusal(b"PK\x03\x04" + bytes(30 * 2**20)) == "文件过大（30.0 MB），上限为 20 MB"


def test_zip_bomb_of_fifty_megabytes_of_zeros_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(50 * 2**20))
    bomb = out.getvalue()
    assert len(bomb) < 100_000

    assert refusal(bomb) == BOMB


def test_total_uncompressed_size_over_the_limit_is_refused():
    data = xlsx(lambda book, sheet: ledger(book, sheet, rows=2000))
    assert refusal(data, max_uncompressed=100_000) == BOMB


def test_entry_holding_more_than_its_declared_size_is_refused():
    # Central directory and local header both claim 1,000 bytes for a sheet that inflates
    # to far more: the declared sizes pass every check, the real ones must not.
    data = bytearray(xlsx(lambda book, sheet: ledger(book, sheet, rows=500)))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 10_000
    claimed = (1000).to_bytes(4, "little")
    data[info.header_offset + 22 : info.header_offset + 26] = claimed
    central = data.find(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 6])
    while data[central + 46 : central + 46 + 24] != b"xl/worksheets/sheet1.xml":
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = claimed

    assert refusal(bytes(data)) == BOMB


def test_workbook_xml_with_an_entity_declaration_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + WORKBOOK.removeprefix('<?xml version="1.0"?>')
    )
    assert refusal(handmade(HEADER_ROW, workbook=laughs)) == CORRUPT


# --- sheets whose extent would exhaust memory ----------------------------------------------


def test_too_many_rows_is_refused():
    data = xlsx(lambda book, sheet: ledger(book, sheet, rows=30))
    assert refusal(data, max_rows=20) == "行数过多：工作表有 31 行，上限为 20 行"


def test_one_cell_at_the_last_row_and_column_is_refused_without_crashing():
    # Calamine would allocate 1,048,576 × 16,384 cells for this 5 KB file and abort.
    def build(book, sheet):
        sheet.write("A1", "项目名称")
        sheet.write("XFD1048576", "x")

    assert refusal(xlsx(build)) == "行数过多：工作表有 1048576 行，上限为 200000 行"


def test_far_right_cell_on_a_long_sheet_is_refused_as_too_wide():
    def build(book, sheet):
        sheet.write("A1", "项目名称")
        sheet.write("XFD1", "备注")
        sheet.write("A150000", "项目")

    assert (
        refusal(xlsx(build)) == "表格范围过大（150000 行 × 16384 列），请删除多余的行和列后再上传"
    )


def test_far_cell_without_a_reference_attribute_is_still_measured():
    # A cell may omit r= and take its place from the row; the quick scan cannot read that,
    # so the exact one measures it.
    far = '<row r="900000"><c><v>1</v></c></row>'
    assert refusal(handmade(HEADER_ROW + far)) == "行数过多：工作表有 900000 行，上限为 200000 行"


def test_far_cell_behind_a_namespace_prefix_is_still_measured():
    far = '<row r="900000"><x:c xmlns:x="urn:x" r="A900000"><x:v>1</x:v></x:c></row>'
    assert refusal(handmade(HEADER_ROW + far)) == "行数过多：工作表有 900000 行，上限为 200000 行"


def test_cell_out_of_order_past_the_last_row_tag_is_still_measured():
    far = '<row r="2"><c r="A2"><v>1</v></c><c r="B900000"><v>1</v></c></row>'
    assert refusal(handmade(HEADER_ROW + far)) == "行数过多：工作表有 900000 行，上限为 200000 行"


# --- files that are fine, however odd ----------------------------------------------------


def test_handmade_minimal_workbook_is_read():
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>光伏发电项目</t></is></c></row>'
    assert names(read_table(handmade(HEADER_ROW + row), headers=HEADERS)) == ["光伏发电项目"]


def test_ten_thousand_styled_empty_rows_after_the_data_are_passed_over():
    def build(book, sheet):
        ledger(book, sheet, rows=3)
        styled = book.add_format({"bg_color": "#FFFF00", "border": 1})
        for row in range(10, 10_010):
            sheet.set_row(row, 18, styled)
            sheet.write_blank(row, 0, None, styled)
            sheet.write_blank(row, 1, None, styled)

    table = read_table(xlsx(build), headers=HEADERS)

    assert [(row.number, row.values["name"]) for row in table.rows] == [
        (2, "项目1"),
        (3, "项目2"),
        (4, "项目3"),
    ]


def test_styled_empty_cells_far_below_do_not_count_against_the_row_limit():
    def build(book, sheet):
        ledger(book, sheet, rows=2)
        sheet.write_blank(299_999, 0, None, book.add_format({"border": 1}))

    table = read_table(xlsx(build), headers=HEADERS)

    assert names(table) == ["项目1", "项目2"]


def test_rows_after_five_hundred_empty_rows_are_not_read():
    # A stray value far below a long run of empty rows is not part of the ledger.
    def build(book, sheet):
        ledger(book, sheet, rows=2)
        sheet.write_row(2000, 0, ["游离的内容", 1])

    assert names(read_table(xlsx(build), headers=HEADERS)) == ["项目1", "项目2"]


def test_formulas_give_their_cached_values_and_are_never_evaluated():
    def build(book, sheet):
        sheet.write_row("A1", ["项目名称", "总投资", "今年计划"])
        sheet.write_formula("A2", '="光伏"&"项目"', None, "光伏项目")
        sheet.write_formula("B2", "=C2*2", None, 7000)
        sheet.write("C2", 3500)
        # No cached value: xlsxwriter stores 0, and 0 is what must come back, not 2.
        sheet.write_formula("A3", '="物流"&"园"', None, "物流园")
        sheet.write_formula("B3", "=1+1")
        sheet.write_formula("C3", '=HYPERLINK("http://example.invalid","x")', None, "x")

    table = read_table(xlsx(build), headers=HEADERS)

    assert [row.values for row in table.rows] == [
        {"name": "光伏项目", "total_investment": 7000, "year_plan": 3500},
        {"name": "物流园", "total_investment": 0, "year_plan": "x"},
    ]
    texts = [v for row in table.rows for v in row.values.values() if isinstance(v, str)]
    assert not any(text.startswith("=") for text in texts)


def test_workbook_whose_only_visible_sheet_is_a_chart_sheet_has_no_sheet_to_read():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    data = book.add_worksheet("数据")
    data.write_column("A1", [1, 2, 3])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=数据!$A$1:$A$3"})
    charts = book.add_chartsheet("图表")
    charts.set_chart(chart)
    charts.activate()  # xlsxwriter keeps the active sheet visible
    data.hide()
    book.close()

    assert refusal(out.getvalue()) == "工作簿中没有可见的工作表"


def test_refusals_are_translated_for_english_readers():
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ImportRefused) as refused:
            read_table(b"name,total\n1,2\n", headers={"name": ["项目名称"]})
    assert str(refused.value).startswith("The file is text")
    with pytest.raises(ImportRefused) as refused:
        read_table(b"name,total\n1,2\n", headers={"name": ["项目名称"]})
    assert str(refused.value).startswith("文件内容是文本")


def test_an_oversized_upload_is_refused_by_the_page_and_keeps_nothing(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zonedesk.imports.models import ImportJob

    big = SimpleUploadedFile("大.xlsx", b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024))
    response = client_for(world.owner).post(
        "/imports/", {"kind": "projects", "org": world.zone.pk, "file": big}
    )
    assert response.status_code == 200 and "文件超过20MB" in response.content.decode()
    assert not ImportJob.objects.exists()
