from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from .selectors import enterprises_for


@login_required
def enterprise_list(request):
    qs = enterprises_for(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(uscc__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "enterprises/list.html", {"enterprises": page, "q": q})


@login_required
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(enterprises_for(request.user), pk=pk)
    return render(request, "enterprises/detail.html", {"e": enterprise})
