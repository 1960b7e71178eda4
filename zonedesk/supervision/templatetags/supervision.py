from django import template

from zonedesk.supervision import selectors, services

register = template.Library()


@register.inclusion_tag("supervision/_project_blockers.html", takes_context=True)
def project_blockers(context, project):
    """The blockers section of a project's page. Its rows load by htmx from their own scoped
    fragment, so the project page costs no extra query; the “提出问题” link is for those who
    may raise one (their roles are already loaded)."""
    user = context["request"].user
    return {
        "project": project,
        "show": selectors.is_reader(user),
        "can_raise": services.can_raise(user, project.org),
    }
