import csv
import io
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from zonedesk.catalog.text import CleanTextForm

MAX_UPLOAD = 1024 * 1024  # a year's schedule is a few dozen rows
SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods"}
KIND_CHOICES = [("0", gettext_lazy("放假")), ("1", gettext_lazy("上班"))]


class DayForm(CleanTextForm):
    date = forms.DateField(
        label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("类型"), choices=KIND_CHOICES, coerce=lambda v: v == "1"
    )
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=50,
        required=False,
        help_text=gettext_lazy(
            "如：春节、国庆节调休上班。设为与周一至周五规则相同（工作日上班、周末放假）即删除该例外"
        ),
    )


class ImportForm(CleanTextForm):
    file = forms.FileField(
        label=gettext_lazy("节假日安排文件"),
        help_text=gettext_lazy(
            "xlsx 或 csv 文件，三列：日期 | 类型（放假/上班）| 名称；第一行可为表头。"
            "日期可写作 2027-01-01、2027/1/1、2027.1.1 或 2027年1月1日"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("文件不能超过1MB"))
        rows = read_table(upload)
        first_row = 1
        if rows and "日期" in str(rows[0][0] if rows[0] else ""):
            rows, first_row = rows[1:], 2
        self.cleaned_data["rows"], self.cleaned_data["first_row"] = rows, first_row
        return upload


def read_table(upload) -> list[list]:
    """The first sheet of a spreadsheet, or a CSV file (UTF-8 or GB18030, as WPS and a
    Chinese Excel save it), as rows of cell values; row i of the list is row i+1 of the file."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix in SPREADSHEETS:
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(upload.read()))
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, IndexError):
            raise ValidationError(_("无法读取该文件，请确认是有效的 Excel 文件")) from None
    if suffix == ".csv":
        data = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("无法识别 CSV 文件的编码，请保存为 UTF-8"))
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error:
            raise ValidationError(_("CSV 文件格式不正确")) from None
    raise ValidationError(_("只支持 .xlsx 或 .csv 文件"))
