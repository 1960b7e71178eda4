from django import template

from zonedesk.appeals import selectors

register = template.Library()


@register.inclusion_tag("appeals/_enterprise_appeals_list.html", takes_context=True)
def enterprise_appeals(context, enterprise):
    """The appeals section of an enterprise's page: its latest appeals the viewer may see."""
    user = context["request"].user
    qs = selectors.appeals_for(user).filter(enterprise=enterprise)
    appeals = list(qs[:10])
    return {
        "visible": selectors.may_use(user),
        "enterprise": enterprise,
        "appeals": appeals,
        "count": len(appeals) if len(appeals) < 10 else qs.count(),
        "can_log": selectors.is_staff(user, selectors.zone_of(enterprise)),
    }
