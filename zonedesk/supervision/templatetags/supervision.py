from django import template

register = template.Library()


@register.inclusion_tag("supervision/_project_blockers.html", takes_context=True)
def project_blockers(context, project):
    """The blockers section of a project's page: its blockers in the user's scope and the
    “提出问题” link for those who may raise one."""
    from zonedesk.supervision.views import tag_context

    return tag_context(context["request"].user, project)
