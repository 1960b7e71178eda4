"""Scoped reads of the enterprise register, its designations and support funds, and the
funds' totals — each used alike by pages, exports and the API."""

import datetime
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Sum, When
from django.utils import timezone

from zonedesk.common.masking import mask_email, mask_name, mask_phone
from zonedesk.leads.selectors import leads_for
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import (
    enterprise_q,
    orgs_for,
    own_enterprise_ids,
    roles_of,
    scope_q,
)
from zonedesk.projects.selectors import projects_for

from .models import Designation, Enterprise, SupportFund

ZERO = Decimal("0.00")
# Who reads contacts unmasked: those who work with the enterprise, and the enterprise itself.
CONTACT_ROLES = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.PROMOTER}
EXPIRY_DAYS = 90


def home_own(user):
    """The home page's 本企业, for enterprise contacts."""
    return {"own_enterprises": [r.enterprise for r in roles_of(user) if r.enterprise]}


def enterprises_for(user):
    """Staff see the enterprises of their scope; an enterprise contact only its own."""
    return Enterprise.objects.filter(enterprise_q(user)).select_related("org", "industry", "park")


def search(qs, q, fields):
    """Rows where any of `fields` contains the typed text; all rows for no text."""
    q = (q or "").strip()
    if not q:
        return qs
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__icontains": q})
    return qs.filter(match)


def search_enterprises(user, q="", chain="", park=None, above_scale=None):
    """The list's filter, shared by the page, its export and the API."""
    qs = search(enterprises_for(user), q, ["name", "short_name", "uscc"])
    if chain:
        qs = qs.filter(chain=chain)
    if park:
        qs = qs.filter(park=park)
    if above_scale is not None:
        qs = qs.filter(above_scale=above_scale)
    return qs


def chains_for(user):
    """The chain names in use in the user's scope, for filters and form suggestions: those
    of enterprises and of projects, so an enterprise is put on the same chain as its projects."""
    names = set(enterprises_for(user).exclude(chain="").values_list("chain", flat=True).distinct())
    names |= set(projects_for(user).exclude(chain="").values_list("chain", flat=True).distinct())
    return sorted(names)


def parks_for(user):
    return orgs_for(user).filter(kind=Org.Kind.PARK)


# --- contacts --------------------------------------------------------------------------------


def contact_reader(user):
    """A test of whether the user may read an enterprise's contacts unmasked: admins,
    leaders, officers and promoters over its organisation, and its own contacts."""
    if user.is_superuser:
        return lambda enterprise: True
    roles = roles_of(user)
    over = [r.org.path for r in roles if r.role in CONTACT_ROLES]
    own = set(own_enterprise_ids(user))
    return lambda e: e.pk in own or any(e.org.path.startswith(p) for p in over)


def mask_contact(contact, may_read):
    if not may_read:
        contact.name = mask_name(contact.name)
        contact.phone = mask_phone(contact.phone)
        contact.email = mask_email(contact.email)
    return contact


def contacts_of(user, enterprise):
    may_read = contact_reader(user)(enterprise)
    return [mask_contact(c, may_read) for c in enterprise.contacts.all()]


# --- designations ----------------------------------------------------------------------------


def designations_for(user):
    return Designation.objects.filter(
        scope_q(user, field="enterprise__org") | Q(enterprise_id__in=own_enterprise_ids(user))
    ).select_related("enterprise", "enterprise__org")


def expiring_window(today=None, days=EXPIRY_DAYS):
    """The 90 days from today, both ends included, in which designations come up for renewal."""
    today = today or timezone.localdate()
    return today, today + datetime.timedelta(days=days)


def expiring(qs, today=None, days=EXPIRY_DAYS):
    """Designations whose validity ends between today and today + `days`, both included."""
    start, end = expiring_window(today, days)
    return qs.filter(expires_on__gte=start, expires_on__lte=end)


def filter_designations(user, f, today=None):
    qs = designations_for(user)
    qs = search(
        qs, f.get("q"), ["enterprise__name", "enterprise__uscc", "certificate_no", "other_name"]
    )
    for key in ("kind", "level", "enterprise"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("chain"):
        qs = qs.filter(enterprise__chain=f["chain"])
    if f.get("expiring"):
        qs = expiring(qs, today)
    return qs


# --- support funds ---------------------------------------------------------------------------

# An allocation's chain is its enterprise's, or its project's: exactly one of the two is set.
FUND_CHAIN = Case(
    When(enterprise__isnull=False, then=F("enterprise__chain")),
    default=F("project__chain"),
    output_field=CharField(),
)


def funds_for(user):
    """Staff see the allocations of their scope; an enterprise contact those to its
    enterprise and its enterprise's projects."""
    own = own_enterprise_ids(user)
    q = scope_q(user)
    if own:
        q |= Q(enterprise_id__in=own) | Q(project__enterprise_id__in=own)
    return (
        SupportFund.objects.filter(q)
        .annotate(chain=FUND_CHAIN)
        .select_related("org", "enterprise", "project")
    )


def filter_funds(user, f):
    qs = funds_for(user)
    for key in ("year", "source", "status", "enterprise", "project"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("chain") is not None and f.get("chain") != "":
        qs = qs.filter(chain="" if f["chain"] == NO_CHAIN else f["chain"])
    qs = search(qs, f.get("q"), ["enterprise__name", "project__name", "policy", "purpose"])
    return qs


NO_CHAIN = "-"  # the filter value for allocations whose enterprise or project has no chain


def fund_totals(qs):
    """Sums in 万元 (Decimal) by year, by source and by chain, and the grand total; each row
    carries the filter value that lists its allocations."""
    labels = dict(SupportFund.Source.choices)

    def grouped(key):
        return list(
            qs.order_by()
            .values(key)
            .annotate(total=Sum("amount"), n=Count("pk"), paid=Sum("amount", filter=_PAID))
            .order_by(key)
        )

    by_year = [
        _row(r, r["year"], str(r["year"]))
        for r in sorted(grouped("year"), key=lambda r: -r["year"])
    ]
    by_source = [
        _row(r, r["source"], str(labels.get(r["source"], r["source"])))
        for r in sorted(grouped("source"), key=lambda r: list(labels).index(r["source"]))
    ]
    by_chain = [_row(r, r["chain"] or NO_CHAIN, r["chain"] or None) for r in grouped("chain")]
    by_chain.sort(key=lambda r: (-r["total"], r["label"] or ""))
    all_ = qs.order_by().aggregate(
        total=Sum("amount"), n=Count("pk"), paid=Sum("amount", filter=_PAID)
    )
    return {
        "total": money(all_["total"]),
        "paid": money(all_["paid"]),
        "count": all_["n"],
        "by_year": by_year,
        "by_source": by_source,
        "by_chain": by_chain,
    }


_PAID = Q(status=SupportFund.Status.PAID)


def _row(r, value, label):
    return {
        "value": value,
        "label": label,
        "total": money(r["total"]),
        "paid": money(r["paid"]),
        "count": r["n"],
    }


def money(value):
    """A database sum back as Decimal to the fen (backends differ in the scale they return)."""
    return (value or ZERO).quantize(ZERO)


# --- the enterprise page ---------------------------------------------------------------------


def enterprise_page(user, enterprise, today=None):
    """Everything the enterprise page shows, each list scoped to the reader."""
    designations = list(enterprise.designations.all())
    start, end = expiring_window(today)
    for d in designations:
        d.expired = d.expires_on is not None and d.expires_on < start
        d.expiring = d.expires_on is not None and start <= d.expires_on <= end
    projects = list(
        projects_for(user)
        .filter(enterprise=enterprise)
        .select_related("park")
        .order_by("-total_investment", "pk")
    )
    funds = list(
        funds_for(user)
        .filter(Q(enterprise=enterprise) | Q(project__enterprise=enterprise))
        .order_by("-year", "-amount", "pk")
    )
    leads = list(
        leads_for(user).filter(project__enterprise=enterprise).order_by("-signed_on", "pk")
    )
    return {
        "contacts": contacts_of(user, enterprise),
        "designations": designations,
        "projects": projects,
        "funds": funds,
        "fund_total": money(sum((f.amount for f in funds), ZERO)),
        "leads": leads,
    }
