"""`{{ value|figure:"key" }}`: a registered figure as every page, export and document prints it."""

from django import template

from zonedesk.catalog import figures

register = template.Library()


@register.filter
def figure(value, key):
    return figures.show(key, value)
