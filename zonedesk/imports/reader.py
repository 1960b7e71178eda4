"""Reading 台账 workbooks: refuse hostile files, find the header, hand back raw rows.

Zones send the sheets they already keep, so the reader accepts them as they are: a title
above the header, two-level headers with merged cells, units written into the header text,
a units row under it, blank separator rows and a 合计 row at the bottom. What it returns is
raw cell values; the value parsers at the bottom turn them into dates, amounts and text and
raise ValueError with a Chinese message about the value, to which the caller adds the row
and column.

Every check that protects the server runs before python-calamine parses the sheet:
calamine keeps a sheet as one dense grid, so a 5 KB file with a single cell at XFD1048576
makes it ask for 550 GB and abort the whole process, not raise.
"""

import datetime
import functools
import io
import itertools
import math
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree

import python_calamine
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.catalog.money import parse_money

__all__ = [
    "ImportRefused",
    "Row",
    "Table",
    "column_letter",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_text",
    "read_table",
]

MB = 1024 * 1024
# calamine stores 32 bytes per cell of the sheet's bounding box; 10 million cells is 320 MB,
# room for 200,000 rows × 50 columns while keeping a hostile bounding box from the allocator.
MAX_CELLS = 10_000_000
MAX_RATIO = 200
# Below this size an entry cannot hurt whatever its ratio, so the ratio check is kept to
# entries big enough to matter and cannot refuse an honest file over a tiny regular part.
RATIO_FLOOR = 1 * MB
MAX_ENTRIES = 10_000
HEADER_SCAN_ROWS = 30
MAX_NOTE_ROWS = 3
MAX_EMPTY_RUN = 500

NOT_XLSX = gettext_lazy("不是有效的 Excel 文件，请上传 .xlsx 格式的工作簿")
TEXT_FILE = gettext_lazy(
    "文件内容是文本（如 CSV 或网页导出的表格），请用 Excel 打开后另存为 .xlsx 再上传"
)
ENCRYPTED = gettext_lazy("文件已加密，请先取消密码再上传")
LEGACY_XLS = gettext_lazy("这是旧版 Excel（.xls）文件，请另存为 .xlsx 后上传")
XLSB = gettext_lazy("这是二进制工作簿（.xlsb），请另存为 .xlsx 后上传")
ODS = gettext_lazy("这是 OpenDocument 表格（.ods），请用 Excel 另存为 .xlsx 后上传")
CORRUPT = gettext_lazy("文件已损坏或无法读取，请用 Excel 打开并另存为 .xlsx 后再上传")
BOMB = gettext_lazy("文件解压后体积异常（疑似压缩炸弹），已拒绝")
NO_SHEET = gettext_lazy("工作簿中没有可见的工作表")
EMPTY_FILE = gettext_lazy("文件是空的")

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Excel keeps an encrypted .xlsx inside a CFB container whose directory names this stream.
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


class ImportRefused(Exception):
    """The whole file is refused; str(e) is the message for the user, in the language
    active when it was raised."""

    def __init__(self, message):
        super().__init__(str(message))


@dataclass(slots=True)
class Row:
    number: int  # 1-based Excel row number, as the user sees it
    cells: tuple  # the raw values, in the order of `names`
    names: tuple  # the fields, shared by every row of the table

    @property
    def values(self) -> dict[str, object]:
        return dict(zip(self.names, self.cells, strict=True))


@dataclass
class Table:
    columns: dict[str, int]  # field → 0-based column index (see column_letter)
    units: dict[str, str]  # field → 万元 / 亿元 / 元, only where the sheet states one
    header_row: int  # 1-based Excel row number of the last header row; 0 if none found
    rows: list[Row]
    missing: list[str]  # fields of `headers` with no matching column
    sheet: str = ""  # name of the sheet that was read, for messages
    extent: int = 0  # the sheet's last used row: with `lazy`, an upper bound of len(rows)
    title: str = ""  # the text above the header ("XX县2024年重点项目…月报（1-10月）")


def column_letter(index: int) -> str:
    """0 → A, 27 → AB: the column as Excel shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------------------------------
# Refusing files before anything parses them


def read_table(
    data: bytes,
    *,
    headers: dict[str, list[str]],
    max_bytes: int = 20 * MB,
    max_uncompressed: int = 200 * MB,
    max_rows: int = 200_000,
    lazy: bool = False,
) -> Table:
    """The first visible sheet of an .xlsx as a Table; ImportRefused for unusable files.

    `headers` maps each field to the header texts that name it. `max_rows` bounds the
    sheet's extent (the last row holding anything), which is what costs memory.
    """
    data = bytes(data)
    _check_container(data, max_bytes)
    archive = _open_zip(data, max_uncompressed)
    sheet_name, sheet_path = _first_visible_sheet(data, archive)
    rows_used, cols_used = _verify_and_measure(data, archive, sheet_path, max_rows)
    if rows_used > max_rows:
        raise ImportRefused(
            _("行数过多：工作表有 %(n)d 行，上限为 %(max)d 行") % {"n": rows_used, "max": max_rows}
        )
    if rows_used * cols_used > MAX_CELLS:
        raise ImportRefused(
            _("表格范围过大（%(rows)d 行 × %(cols)d 列），请删除多余的行和列后再上传")
            % {"rows": rows_used, "cols": cols_used}
        )
    grid, merges = _load_sheet(data, sheet_name)
    table = _find_table(grid, merges, headers, lazy=lazy)
    table.sheet, table.extent = sheet_name, rows_used
    return table


def _check_container(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ImportRefused(EMPTY_FILE)
    if len(data) > max_bytes:
        raise ImportRefused(
            _("文件过大（%(size)s），上限为 %(max)s")
            % {"size": _size(len(data)), "max": _size(max_bytes)}
        )
    if data.startswith(CFB_MAGIC):
        raise ImportRefused(ENCRYPTED if ENCRYPTION_INFO in data else LEGACY_XLS)
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused(TEXT_FILE if _looks_like_text(data[:4096]) else NOT_XLSX)


def _size(n: int) -> str:
    if n % MB == 0:
        return f"{n // MB} MB"
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / 1024))} KB"


def _looks_like_text(head: bytes) -> bool:
    """CSV, HTML-as-.xls and SpreadsheetML exports deserve a message saying what they are."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # Excel's "Unicode text" export is UTF-16 with a byte-order mark
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The first 4 KB may end inside a character; that alone proves nothing.
            try:
                text = head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
        if all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return True
    return False


def _open_zip(data: bytes, max_uncompressed: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError, EOFError):
        raise ImportRefused(NOT_XLSX) from None
    names = [info.filename for info in infos]
    if len(infos) > MAX_ENTRIES or len(set(names)) != len(names):
        # Two entries with one name may be read differently by us and by calamine.
        raise ImportRefused(CORRUPT)
    if "xl/workbook.bin" in names:
        raise ImportRefused(XLSB)
    if "mimetype" in names and "xl/workbook.xml" not in names:
        raise ImportRefused(ODS)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(NOT_XLSX)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(CORRUPT)
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused(BOMB)
    if total > max_uncompressed:
        raise ImportRefused(BOMB)
    return archive


IN_CHUNK = 256 * 1024
OUT_CHUNK = 4 * MB


def _inflate(data: bytes, info: zipfile.ZipInfo, sink=None) -> None:
    """Decompress one entry in bounded chunks, refusing it if it holds more than it claims."""
    start = info.header_offset
    local = data[start : start + 30]
    if len(local) < 30 or not local.startswith(ZIP_MAGIC):
        raise ImportRefused(CORRUPT)
    start += 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
    end = start + info.compress_size
    if end > len(data):
        raise ImportRefused(CORRUPT)
    raw = memoryview(data)[start:end]
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise ImportRefused(CORRUPT)
        if sink:
            for pos in range(0, len(raw), OUT_CHUNK):
                sink(bytes(raw[pos : pos + OUT_CHUNK]))
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = pos = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                piece = inflater.unconsumed_tail
            elif pos < len(raw):
                piece, pos = raw[pos : pos + IN_CHUNK], pos + IN_CHUNK
            else:
                break
            out = inflater.decompress(piece, OUT_CHUNK)
            produced += len(out)
            if produced > info.file_size:
                raise ImportRefused(BOMB)
            if sink and out:
                sink(out)
    except zlib.error:
        raise ImportRefused(CORRUPT) from None
    if not inflater.eof or produced != info.file_size:
        raise ImportRefused(CORRUPT)


def _read_part(data: bytes, archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportRefused(CORRUPT) from None
    if info.file_size > 16 * MB:
        raise ImportRefused(CORRUPT)
    parts: list[bytes] = []
    _inflate(data, info, parts.append)
    xml = b"".join(parts)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        # No workbook needs a DTD; refusing one shuts out entity-expansion tricks.
        raise ImportRefused(CORRUPT)
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise ImportRefused(CORRUPT) from None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _first_visible_sheet(data: bytes, archive: zipfile.ZipFile) -> tuple[str, str]:
    """Name and zip path of the first worksheet a user would see when opening the file."""
    targets = {}
    rels_name = "xl/_rels/workbook.xml.rels"
    for rel in _read_part(data, archive, rels_name).iter():
        if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(path)
    for sheet in _read_part(data, archive, "xl/workbook.xml").iter():
        if _local(sheet.tag) != "sheet" or sheet.get("state") in ("hidden", "veryHidden"):
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        path = targets.get(rel_id)
        if path is not None:  # chart sheets have no worksheet relationship
            if path not in archive.NameToInfo:
                raise ImportRefused(CORRUPT)
            return sheet.get("name", ""), path
    raise ImportRefused(NO_SHEET)


def _verify_and_measure(data, archive, sheet_path, max_rows) -> tuple[int, int]:
    """Rows × columns the sheet will occupy in calamine, every entry's real size proven."""
    extent = _SheetExtent()
    for info in archive.infolist():
        # Declared sizes are only claims; inflating every entry once proves them before
        # calamine trusts them, and the sheet is measured on the same pass.
        _inflate(data, info, extent.feed if info.filename == sheet_path else None)
    extent.finish()
    if not extent.settled(max_rows):
        # The quick scan counts styled empty cells too and cannot read unusual XML; the
        # exact one counts only cells with content, which is all calamine keeps.
        extent = _SheetExtent(exact=True)
        _inflate(data, archive.getinfo(sheet_path), extent.feed)
        extent.finish()
    return extent.max_row, extent.max_col


def _load_sheet(data: bytes, name: str):
    """The sheet's rows, absolute (index 0 is Excel row 1), as an iterator, and its merged
    ranges. Rows become Python lists one at a time, so a 100,000-row sheet never exists
    twice, once in calamine and once as Python objects."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            sheet = workbook.get_sheet_by_name(name)
            merges = sheet.merged_cell_ranges
            # iter_rows counts rows from Excel's first but columns from the first one used.
            pad = [""] * (sheet.start[1] if sheet.start else 0)
            rows = sheet.iter_rows()
        finally:
            workbook.close()
    except python_calamine.PasswordError:
        raise ImportRefused(ENCRYPTED) from None
    except Exception:
        # Whatever breaks inside the parser, the file is unreadable to us; say so.
        raise ImportRefused(CORRUPT) from None
    return ((pad + row if pad else row) for row in rows), merges


class _SheetExtent:
    """The last row and column holding cells in a worksheet's XML, read as it inflates.

    The quick scan must stay cheap on 100,000-row sheets, so it avoids looking at every
    cell from Python: the extent comes from the `<row r=…>` tags, and one regex search per
    chunk looks for any cell lying beyond the rows and columns seen so far, which honest
    files never have. XML it cannot vouch for (a cell without `r` or with `r` not first,
    namespace prefixes) marks it unsure, and the exact tokenizer measures instead.
    """

    _ROW_TAG = re.compile(rb'<row r="(\d{1,7})"')
    _CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
    _ANY_CELL = re.compile(rb"<c[\s/>]")
    _PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")
    _TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
    _REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d*)["']""")

    def __init__(self, exact: bool = False):
        self.exact = exact
        self.unsure = False
        self.max_row = self.max_col = 0
        self._tail = b""
        self._row = self._col = -1

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        cut = text.rfind(b"<")  # a tag never contains "<", so none is split at the cut
        if cut < 0:
            cut = len(text)
        self._tail, text = text[cut:], text[:cut]
        self._scan(text)

    def finish(self) -> None:
        self._scan(self._tail)
        self._tail = b""

    def settled(self, max_rows: int) -> bool:
        """Whether these figures can be trusted, or the exact scan must confirm them."""
        return self.exact or not (
            self.unsure or self.max_row > max_rows or self.max_row * self.max_col > MAX_CELLS
        )

    def _scan(self, text: bytes) -> None:
        if self.exact:
            self._scan_exact(text)
            return
        if self.unsure:
            return
        with_ref = text.count(b'<c r="')
        if text.count(b"<c") != with_ref and len(self._ANY_CELL.findall(text)) != with_ref:
            self.unsure = True
        elif self._PREFIX_HINT.search(text):
            self.unsure = True
        rows = self._ROW_TAG.findall(text)
        if rows:
            self.max_row = max(self.max_row, max(map(int, rows)))
        if with_ref and _beyond(self.max_row, self.max_col).search(text):
            refs = self._CELL_REF.findall(text)
            if len(refs) != with_ref:
                self.unsure = True  # a reference the quick scan cannot read
            for letters, digits in refs:
                self.max_row = max(self.max_row, int(digits))
                self.max_col = max(self.max_col, _column_number(letters))

    def _scan_exact(self, text: bytes) -> None:
        # Positions follow calamine: a cell without `r` sits right of the previous one, a
        # row without `r` right below the previous row.
        for match in self._TAG.finditer(text):
            kind, attrs = match.groups()
            ref = self._REF.search(attrs)
            letters, digits = ref.groups() if ref else (b"", b"")
            if kind == b"row":
                self._row = int(digits) - 1 if digits else self._row + 1
                self._col = -1
                continue
            row = int(digits) - 1 if digits else self._row
            self._col = _column_number(letters.upper()) - 1 if letters else self._col + 1
            if not attrs.rstrip().endswith(b"/"):  # self-closing cells hold nothing
                self.max_row = max(self.max_row, max(row, self._row, 0) + 1)
                self.max_col = max(self.max_col, self._col + 1)


@functools.lru_cache(maxsize=64)
def _beyond(max_row: int, max_col: int) -> re.Pattern:
    """A regex for cell references past row `max_row` or column `max_col`, or unreadable."""
    letters = column_letter(max_col - 1) if max_col else ""
    columns = [f"[A-Z]{{{len(letters) + 1},}}"]
    for i, char in enumerate(letters):
        if char != "Z":
            rest = len(letters) - i - 1
            columns.append(f"{letters[:i]}[{chr(ord(char) + 1)}-Z][A-Z]{{{rest}}}")
    digits = str(max_row)
    rows = [f"\\d{{{len(digits) + 1},}}"]
    for i, char in enumerate(digits):
        if char != "9":
            rest = len(digits) - i - 1
            rows.append(f"{digits[:i]}[{int(char) + 1}-9]\\d{{{rest}}}")
    return re.compile(
        f'<c r="(?:(?:{"|".join(columns)})\\d|[A-Z]{{1,3}}(?:{"|".join(rows)})"'
        f'|(?![A-Z]{{1,3}}\\d{{1,7}}"))'.encode()
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


# ---------------------------------------------------------------------------------------
# Finding the header and reading the rows

_UNIT_NAMES = {"万元": "万元", "万": "万元", "亿元": "亿元", "亿": "亿元", "元": "元"}
_OPEN, _CLOSE = "([【", ")]】"
# Header text is NFKC-normalised first, so （亿元） and ：have become (亿元) and :.
_HEADER_UNIT = re.compile(r"[(\[【](?:单位:?)?(万元|亿元|元|万|亿)[)\]】]|/(万元|亿元|元)$")
_ANY_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_NOTE_UNIT = re.compile(r"[(\[【]?(?:单位:?)?(万元|亿元|元|万|亿)[)\]】]?")
_TABLE_UNIT = re.compile(r"[(\[【]?单位:?(万元|亿元|元)[)\]】]?")
_BARE_UNITS = {
    "个", "人", "家", "户", "项", "亩", "%", "年", "月", "日", "年月", "年月日", "天",
    "平方米", "万平方米", "㎡", "m2", "吨", "万吨", "千瓦", "kw", "kW",
}  # fmt: skip
_NOTE_PREFIXES = ("注", "说明", "填写", "格式", "必填", "选填", "示例", "例:", "如:", "下拉")
_COLUMN_NUMBERS = set("甲乙丙丁戊己庚辛")
_TOTALS = re.compile(r"合计.*|(?:总计|小计|共计)(?:[:(\[【\d].*)?")


def _squash(text: str) -> str:
    """Text as compared: NFKC (full-width to half-width) with every kind of space removed."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.replace("\u200b", "").replace("\ufeff", "").split())


def _header_key(text: str) -> tuple[str, str | None]:
    """ "总投资\n（亿元）" → ("总投资", "亿元"); a required-field star is dropped too."""
    key = _squash(text).strip("*")
    unit = None
    match = _HEADER_UNIT.search(key)
    if match:
        unit = _UNIT_NAMES[match[1] or match[2]]
        key = (key[: match.start()] + key[match.end() :]).strip("*")
    return key, unit


def _key_variants(key: str):
    """Ways to read one header: as written, without 其中:, without any bracketed remark."""
    yield key
    bare = re.sub(r"^其中:?", "", key)
    if bare != key:
        yield bare
    plain = _ANY_BRACKETS.sub("", bare).strip("*")
    if plain != bare:
        yield plain


class _HeaderMatcher:
    def __init__(self, headers: dict[str, list[str]]):
        self.lookup: dict[str, str] = {}
        for name, texts in headers.items():
            for text in texts:
                for variant in _key_variants(_header_key(text)[0]):
                    if variant:
                        self.lookup.setdefault(variant, name)

    def field(self, key: str) -> str | None:
        if not key:
            return None
        for variant in _key_variants(key):
            if variant in self.lookup:
                return self.lookup[variant]
        return None


@dataclass
class _Candidate:
    columns: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    lower_hits: int = 0  # fields named by the lower row's own text


def _match_row(matcher, upper, lower) -> _Candidate:
    """Columns named by one header row, or by an upper row combined with the row below."""
    found = _Candidate()
    for col, (low_key, low_unit) in enumerate(lower):
        up_key, up_unit = upper[col] if upper is not None and col < len(upper) else ("", None)
        options = []
        if low_key:
            options.append((low_key, low_unit or up_unit, True))
            if up_key and up_key != low_key:
                options.append((up_key + low_key, low_unit or up_unit, True))
        elif up_key:
            options.append((up_key, up_unit, False))
        for key, unit, from_lower in options:
            name = matcher.field(key)
            if name and name not in found.columns:
                found.columns[name] = col
                if unit:
                    found.units[name] = unit
                found.lower_hits += from_lower
                break
    return found


def _fill_merges(window: list[list[str]], merges) -> None:
    """Give every cell of a merged header area the text of its top-left cell."""
    for (top, left), (bottom, right) in merges:
        if top >= len(window) or left >= len(window[top]):
            continue
        text = window[top][left]
        for r in range(top, min(bottom, len(window) - 1) + 1):
            row = window[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                row[c] = text


def _carry_right(row: list[str]) -> list[str]:
    """Without merge information, a group header is taken to span the empty cells after it."""
    carried, last = [], ""
    for text in row:
        last = text or last
        carried.append(last)
    return carried


def _find_table(grid, merges, headers: dict[str, list[str]], lazy: bool = False) -> Table:
    matcher = _HeaderMatcher(headers)
    grid = iter(grid)
    head = list(itertools.islice(grid, HEADER_SCAN_ROWS))
    window = [[_cell_text(v) for v in row] for row in head]
    if merges is not None:
        _fill_merges(window, merges)
    keys = [[_header_key(text) for text in row] for row in window]
    if merges is not None:
        upper_keys = keys
    else:
        upper_keys = [[_header_key(text) for text in _carry_right(row)] for row in window]

    def candidate(index: int, paired: bool) -> _Candidate:
        return _match_row(matcher, upper_keys[index - 1] if paired else None, keys[index])

    best, best_index, best_score = None, -1, 0
    for index in range(len(keys)):
        for paired in (False, True) if index else (False,):
            found = candidate(index, paired)
            if len(found.columns) > best_score:
                best, best_index, best_score = found, index, len(found.columns)
    if best is None:
        return Table({}, {}, 0, [], list(headers))
    # A two-level header scores no better than its upper row alone when the group title
    # is itself an accepted header (计划总投资); the row below still belongs to it when it
    # names columns on its own and is not a units row.
    below = best_index + 1
    if below < len(keys) and not _is_note_row(window[below]):
        pair = candidate(below, True)
        if len(pair.columns) >= best_score and pair.lower_hits:
            best, best_index = pair, below

    units = dict(best.units)
    first_data = best_index + 1
    for _note in range(MAX_NOTE_ROWS):
        if first_data >= len(window) or not _is_note_row(window[first_data]):
            break
        for name, col in best.columns.items():
            cell = window[first_data][col] if col < len(window[first_data]) else ""
            unit = _note_unit(cell)
            if unit:
                units.setdefault(name, unit)
        first_data += 1
    table_unit = _table_unit(window[: best_index + 1])
    if table_unit:
        for name in best.columns:
            units.setdefault(name, table_unit)

    order = sorted(best.columns.items(), key=lambda item: item[1])
    # The rows above the header (a two-level header's upper row among them).
    above = [text for row in window[:best_index] for text in row if text]
    return Table(
        columns=dict(order),
        units=units,
        title=" ".join(dict.fromkeys(above)),
        header_row=best_index + 1,
        rows=(_iter_rows if lazy else _data_rows)(
            itertools.chain(head[first_data:], grid), first_data, order
        ),
        missing=[name for name in headers if name not in best.columns],
    )


def _data_rows(grid, start: int, order: list[tuple[str, int]]) -> list[Row]:
    return list(_iter_rows(grid, start, order))


def _iter_rows(grid, start: int, order: list[tuple[str, int]]):
    """The data rows one at a time: with `lazy`, a row is parsed and dropped before the next
    one becomes Python objects."""
    empty_run = 0
    names = tuple(name for name, _col in order)
    for index, cells in enumerate(grid, start=start):
        width = len(cells)
        values = []
        filled = False
        for _name, col in order:
            value = cells[col] if col < width else None
            if value.__class__ is str and (not value or value.isspace()):
                value = None
            elif value is not None:
                filled = True
            values.append(value)
        if not filled:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                # Thousands of formatted but empty rows below the data: nothing follows.
                break
            continue
        empty_run = 0
        if _is_totals(values):
            continue
        yield Row(index + 1, tuple(values), names)


def _is_totals(values: list) -> bool:
    """合计 / 总计 / 小计 rows sum the others; importing them would double every amount."""
    for value in values:  # in column order
        if isinstance(value, str):
            # "合计（12个）", "小计:" yes; a project called 总计划… no.
            return bool(_TOTALS.fullmatch(_squash(value)))
    return False


def _cell_text(value) -> str:
    return "" if value is None or value == "" else parse_text(value)


def _note_unit(text: str) -> str | None:
    match = _NOTE_UNIT.fullmatch(_squash(text)) if text else None
    return _UNIT_NAMES[match[1]] if match else None


def _table_unit(rows: list[list[str]]) -> str | None:
    """A "单位：亿元" line above or beside the header applies to the whole table."""
    for row in rows:
        for text in row:
            match = _TABLE_UNIT.fullmatch(_squash(text)) if text else None
            if match:
                return match[1]
    return None


def _is_note_row(texts: list[str]) -> bool:
    """A row of units, fill-in notes, an example, or 甲 乙 1 2 3 column numbers."""
    cells = [_squash(t) for t in texts if t and t.strip()]
    if not cells:
        return False
    if cells[0].startswith(("示例", "例:", "填写说明", "说明:", "注:")):
        return True
    numbers = [c for c in cells if c not in _COLUMN_NUMBERS]
    if len(cells) >= 3 and all(c.isdigit() for c in numbers) and numbers:
        sequence = [int(c) for c in numbers]
        if sequence == list(range(sequence[0], sequence[0] + len(sequence))):
            return True
    return all(_is_note_cell(c) for c in cells)


def _is_note_cell(text: str) -> bool:
    if _NOTE_UNIT.fullmatch(text) or text in _BARE_UNITS or text.startswith(_NOTE_PREFIXES):
        return True
    # "(个)", "（年月）": a short remark in brackets, not a value.
    return (
        len(text) <= 8
        and text[0] in _OPEN
        and text[-1] in _CLOSE
        and not any(ch.isdigit() for ch in text)
    )


# ---------------------------------------------------------------------------------------
# Value parsers: each says what is wrong with the value; the caller adds row and column.

# A dash or slash in a ledger cell means "nothing here", not a value to refuse.
_PLACEHOLDERS = {"-", "--", "—", "——", "–", "/", "\\", "－", "／"}


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or text in _PLACEHOLDERS
    return False


def parse_text(value) -> str:
    """Any cell as one line of text; numbers typed for codes lose Excel's ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Excel shows 15 significant digits; more would be binary noise like 0.30000000000000004.
        return format(Decimal(f"{value:.15g}"), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return " ".join(str(value).split())


_SERIAL_EPOCH = datetime.date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_MAX_SERIAL = (datetime.date(_MAX_YEAR, 12, 31) - _SERIAL_EPOCH).days
_DAY_FORMS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
]
_MONTH_FORMS = [
    re.compile(r"(\d{4})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月份?"),
]
# Dates exported as text often carry a midnight time: "2024-03-01 00:00:00".
_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")


_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# "（1-10月）", "1～10月", "1至10月份", or "2024年10月": the last month the report covers.
_TITLE_MONTHS = re.compile(r"\d{1,2}\s*[-－—–~～至到]\s*(\d{1,2})\s*月")
_TITLE_MONTH = re.compile(r"(?:19|20)\d\d\s*年\s*(\d{1,2})\s*月")


def title_period(title: str) -> tuple[int | None, int | None]:
    """The year and the last month a report's title names: "XX县2024年重点项目建设进展情况
    月报（1-10月）" → (2024, 10); what it does not name is None."""
    text = unicodedata.normalize("NFKC", title or "")
    year = _TITLE_YEAR.search(text)
    month = _TITLE_MONTHS.search(text) or _TITLE_MONTH.search(text)
    month = int(month[1]) if month and 1 <= int(month[1]) <= 12 else None
    return (int(year[1]) if year else None), month


def parse_date(value) -> datetime.date | None:
    """A date cell or text → date; a month alone (2024年3月, 2024/3) means its first day."""
    if _is_blank(value):
        return None
    shown = parse_text(value)
    if isinstance(value, datetime.datetime):
        return _checked_year(value.date(), shown)
    if isinstance(value, datetime.date):
        return _checked_year(value, shown)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown})
    if isinstance(value, str):
        text = re.sub(r"\s*([年月日号./-])\s*", r"\1", " ".join(_squash_keep_spaces(value)))
        # Digits alone are a serial or 20240301; 2024.10 typed as text keeps its zero, so
        # only a number cell is ambiguous about the month.
        if re.fullmatch(r"\d+(?:\.\d+)?", text) and not re.fullmatch(r"\d{4}\.\d{1,2}", text):
            return _date_from_number(text, shown)
        return _date_from_text(text, shown)
    return _date_from_number(repr(value) if isinstance(value, float) else str(value), shown)


def _squash_keep_spaces(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def _date_from_text(text: str, shown: str) -> datetime.date:
    text = _TIME_SUFFIX.sub("", text)
    for forms, has_day in ((_DAY_FORMS, True), (_MONTH_FORMS, False)):
        for form in forms:
            match = form.fullmatch(text)
            if match:
                year, month = int(match[1]), int(match[2])
                day = int(match[3]) if has_day else 1
                return _make_date(year, month, day, shown)
    raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown})


def _date_from_number(text: str, shown: str) -> datetime.date:
    """Excel serials (1900 system), 20240301 typed as a number, or 2024.3 typed as one."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown}) from None
    if not number.is_finite():
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown})
    whole = int(number)
    if _MIN_YEAR <= number < _MAX_YEAR + 1:
        if number == whole:
            raise ValueError(
                _("无法识别的日期“%(v)s”：只有年份，请写成 2024年3月 或 2024-03-01") % {"v": shown}
            )
        # 2024.3 typed into a cell becomes a number; its digits say year and month, but
        # 2024.1 may have been 2024.10 before Excel dropped the zero.
        fraction = text.partition(".")[2].rstrip("0") if "." in text else ""
        if fraction == "1":
            raise ValueError(
                _("无法识别的日期“%(v)s”：分不清是1月还是10月，请写成 2024-01") % {"v": shown}
            )
        if len(fraction) <= 2:
            return _make_date(whole, int(fraction), 1, shown)
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown})
    if number == whole and 19_000_101 <= whole <= 21_001_231:
        return _make_date(whole // 10_000, whole // 100 % 100, whole % 100, shown)
    if not 1 <= whole <= _MAX_SERIAL or whole == 60:
        # Serial 60 is 1900-02-29, a day Excel invented for Lotus compatibility.
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown})
    if whole < 60:
        return _SERIAL_EPOCH + datetime.timedelta(days=whole + 1)
    return _SERIAL_EPOCH + datetime.timedelta(days=whole)


def _make_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("无法识别的日期“%(v)s”") % {"v": shown}) from None
    return _checked_year(result, shown)


def _checked_year(value: datetime.date, shown: str) -> datetime.date:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise ValueError(
            _("日期“%(v)s”超出合理范围（%(a)d—%(b)d年）")
            % {"v": shown, "a": _MIN_YEAR, "b": _MAX_YEAR}
        )
    return value


def parse_amount(value, unit: str | None = "万元") -> Decimal | None:
    """An amount in the column's unit (or the unit written in the cell) → Decimal 万元."""
    if _is_blank(value):
        return None
    if isinstance(value, float):
        # repr gives the shortest decimal that is this float: 0.1 → "0.1", not 0.1000…0555.
        value = Decimal(repr(value)) if math.isfinite(value) else repr(value)
    try:
        return parse_money(value, unit or "万元")
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None


def parse_int(value) -> int | None:
    """A whole number: 12, 12.0, "1,200", "十二", "1.2万"; a fraction is refused."""
    if _is_blank(value):
        return None
    shown = parse_text(value)
    if isinstance(value, bool):
        raise ValueError(_("无法识别的整数“%(v)s”") % {"v": shown})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(_("不是整数“%(v)s”") % {"v": shown})
        return int(value)
    if not isinstance(value, str):
        raise ValueError(_("无法识别的整数“%(v)s”") % {"v": shown})
    text = _squash(value).replace(",", "")
    if re.fullmatch(r"[+-]?\d+(?:\.0*)?", text):
        return int(text.partition(".")[0])
    if re.fullmatch(r"[+-]?\d*\.\d+", text) or ("点" in text and not re.search("[万亿]", text)):
        raise ValueError(_("不是整数“%(v)s”") % {"v": shown})
    try:
        # Chinese numerals and 万 / 亿 share one parser with amounts: in 元 its result,
        # counted in 万, is the number itself.
        wan = parse_money(text, "元")
    except ValidationError:
        raise ValueError(_("无法识别的整数“%(v)s”") % {"v": shown}) from None
    number = wan * 10_000
    if number != number.to_integral_value():
        raise ValueError(_("不是整数“%(v)s”") % {"v": shown})
    return int(number)


_TRUE = {"是", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "有", "对"}
_FALSE = {"否", "×", "✗", "✘", "X", "N", "NO", "FALSE", "0", "无", "不是"}


def parse_bool(value) -> bool:
    """是/否, √/×, Y/N, 1/0 and Excel's TRUE/FALSE; an empty cell is 否."""
    if _is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    text = _squash(str(value)).upper() if isinstance(value, str) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("无法识别的是/否“%(v)s”，请填写“是”或“否”") % {"v": parse_text(value)})
