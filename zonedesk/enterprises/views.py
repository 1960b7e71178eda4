from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.reports.xlsx import workbook

from .selectors import enterprises_for, search_enterprises

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def enterprise_list(request):
    q = request.GET.get("q", "")
    page = Paginator(search_enterprises(request.user, q), 50).get_page(request.GET.get("page"))
    return render(request, "enterprises/list.html", {"enterprises": page, "q": q})


@login_required
def enterprise_export(request):
    rows = (
        (i, e.name, e.uscc, e.legal_rep, str(e.industry or ""), e.above_scale, e.org.name)
        for i, e in enumerate(search_enterprises(request.user, request.GET.get("q", "")), 1)
    )
    headers = [
        _("序号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("法定代表人"),
        _("国民经济行业"),
        _("规模以上"),
        _("所属组织"),
    ]
    title = _("企业名录")
    name = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(workbook(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(enterprises_for(request.user), pk=pk)
    return render(request, "enterprises/detail.html", {"e": enterprise})
