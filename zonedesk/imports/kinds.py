"""Every domain's import mapping, loaded once so the engine's registry is complete."""

from zonedesk.enterprises import imports as enterprises  # noqa: F401
from zonedesk.leads import imports as leads  # noqa: F401
from zonedesk.projects import imports as projects  # noqa: F401
