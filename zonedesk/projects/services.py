"""Every write to projects, year plans, monthly progress, photos, approval steps and locks."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.audit.models import PeriodLock
from zonedesk.catalog.bounds import check
from zonedesk.common import files
from zonedesk.common.cache import changed
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import has_role_over

from . import formulas, rules
from .formulas import DEFAULTS
from .models import ApprovalStep, ProgressPhoto, ProgressReport, Project, YearPlan, ZoneSettings

Stage = Project.Stage
FIELDS = [
    "org",
    "park",
    "name",
    "project_code",
    "category",
    "nature",
    "is_provincial",
    "is_municipal",
    "is_county",
    "is_double_hundred",
    "industry",
    "chain",
    "enterprise",
    "scale",
    "content",
    "total_investment",
    "annual_output",
    "annual_tax",
    "jobs",
    "leader",
    "unit",
    "agent_unit",
    "team",
    "is_standard_land",
    "is_commitment",
    "planned_start",
    "planned_completion",
]
ORDER, STAGE_DATE = rules.ORDER, rules.STAGE_DATE
STATS_MINIMUM = Decimal("500")
PHOTO_MAX_BYTES = 12 * 1024 * 1024
PHOTO_MAX_SIDE = 2560
# A gallery tile on a phone is a third of 375 px at up to 3 device pixels per px.
THUMB_SIDE = 480
# The lifecycle's order; a project moves to the next stage, or is cancelled with a reason.
LIFECYCLE = [Stage.RESERVE, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.OPERATING]


def can_edit(user, project):
    """Admins over the zone; officers of the project's task force."""
    if user is None:
        return True
    if has_role_over(user, project.org, {Role.Name.ADMIN}):
        return True
    return (
        project.team_id is not None
        and has_role_over(user, project.org, {Role.Name.OFFICER})
        and user.teams.filter(pk=project.team_id).exists()
    )


def require_edit(actor, project):
    if not can_edit(actor, project):
        raise PermissionDenied(_("只有该项目专班的项目专员或管理员可以修改此项目"))


def require_create(actor, org):
    roles = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
    if actor is not None and not has_role_over(actor, org, roles):
        raise PermissionDenied(_("您没有在“%(org)s”登记项目的权限") % {"org": org})


def _clean(data, org, instance=None):
    others = Project.objects.exclude(pk=getattr(instance, "pk", None))
    return rules.clean_project(
        data,
        org,
        instance=instance,
        name_taken=lambda name, _pk: others.filter(org=org, name=name).exists(),
        code_holder=lambda code, _pk: others.filter(project_code=code).first(),
    )


@transaction.atomic
def create_project(actor, *, org, **fields):
    require_create(actor, org)
    data = _clean({f: fields.get(f) for f in FIELDS if f != "org"}, org)
    if (
        data.get("team") is None
        and actor is not None
        and not has_role_over(actor, org, {Role.Name.ADMIN, Role.Name.LEADER})
    ):
        # An officer edits only the projects of their task forces: a project they register
        # goes to their task force, or they must say which.
        teams = list(actor.teams.filter(org=org, kind="taskforce"))
        if len(teams) != 1:
            raise ValidationError({"team": _("请选择该项目的项目专班")})
        data["team"] = teams[0]
    data = {k: v for k, v in data.items() if v is not None}
    project = Project(org=org, **data)
    changed(Project)  # its chain joins the filter's list
    return audit.create(actor, project, action="project.create", org=org, fields=FIELDS)


def create_signed(actor, *, org, signed_on, **fields):
    """A project born of a signed investment lead; leads.services.sign_lead checks the signer
    and holds the transaction."""
    data = _clean({f: fields.get(f) for f in FIELDS if f != "org"}, org)
    data = {k: v for k, v in data.items() if v is not None}
    project = Project(org=org, stage=Stage.SIGNED, signed_on=signed_on, **data)
    fields = [*FIELDS, "stage", "signed_on"]
    changed(Project)
    return audit.create(actor, project, action="project.create", org=org, fields=fields)


@transaction.atomic
def update_project(actor, project, data, *, expected_version=None):
    require_edit(actor, project)
    current = {f: getattr(project, f) for f in FIELDS if f != "org"}
    data = _clean({**current, **data}, project.org, instance=project)
    audit.update(
        actor,
        project,
        data,
        action="project.update",
        org=project.org,
        expected_version=expected_version,
    )
    changed(Project)
    return project


@transaction.atomic
def change_stage(actor, project, stage, *, on=None, reason="", expected_version=None):
    """Move a project along its lifecycle, checking what the new stage needs."""
    require_edit(actor, project)
    data = rules.stage_change(project, stage, on=on, today=timezone.localdate(), reason=reason)
    audit.update(
        actor,
        project,
        data,
        action="project.stage",
        org=project.org,
        expected_version=expected_version,
    )
    return project


@transaction.atomic
def register_stats(actor, project, *, on):
    """入库入统: only once started, with total investment of at least 500 万元."""
    require_edit(actor, project)
    if project.stats_registered:
        raise ValidationError(
            {"stats_registered": _("项目已于%(d)s入库") % {"d": project.stats_registered_on}}
        )
    if not project.started_on:
        raise ValidationError({"stats_registered": _("项目开工后才能入库入统")})
    if project.total_investment < STATS_MINIMUM:
        raise ValidationError({"stats_registered": _("总投资500万元及以上的项目才能入库入统")})
    if on is None or on < project.started_on or on > timezone.localdate():
        raise ValidationError({"stats_registered_on": _("入库日期应在开工日期与今天之间")})
    audit.update(
        actor,
        project,
        {"stats_registered": True, "stats_registered_on": on},
        action="project.stats",
        org=project.org,
    )
    return project


@transaction.atomic
def set_year_plan(actor, project, *, year, planned_investment, planned_start_month=None, goal=""):
    require_edit(actor, project)
    rules.check_year_plan(year, planned_investment, planned_start_month)
    data = {
        "planned_investment": planned_investment,
        "planned_start_month": planned_start_month,
        "goal": goal.strip(),
    }
    plan = YearPlan.objects.filter(project=project, year=year).first()
    if plan is None:
        plan = YearPlan(project=project, year=year, **data)
        return audit.create(
            actor, plan, action="yearplan.create", org=project.org, fields=["year", *data]
        )
    audit.update(actor, plan, data, action="yearplan.update", org=project.org)
    return plan


def deadline(org, period):
    return deadline_moved(org, period)[0]


def deadline_moved(org, period):
    """(the zone's deadline for the report of `period`, the report day it was moved from
    because that fell on a holiday, or None)."""
    settings = ZoneSettings.objects.filter(org=org).first()
    day = formulas.zone_deadline(settings, period)
    report_day = settings.report_day if settings else DEFAULTS["report_day"]
    nominal = formulas.deadline(period, report_day, shift=False)
    return day, (nominal if nominal != day else None)


def is_locked(org, period):
    return PeriodLock.objects.filter(org=org, period=period).exists()


@transaction.atomic
def file_progress(actor, project, *, period, invested, progress, problems="", reason=""):
    """File or amend the month's report. A locked month takes a correction with a reason."""
    require_edit(actor, project)
    period = period.replace(day=1)
    today = timezone.localdate()
    report = ProgressReport.objects.filter(project=project, period=period).first()
    locked = is_locked(project.org, period)
    rules.check_progress(
        period,
        invested,
        progress,
        today=today,
        locked=locked,
        exists=report is not None,
        reason=reason,
    )
    data = {"invested": invested, "progress": progress.strip(), "problems": problems.strip()}
    if report is None:
        report = ProgressReport(
            project=project,
            period=period,
            filed_by=actor,
            is_late=today > deadline(project.org, period),
            **data,
        )
        return audit.create(
            actor,
            report,
            action="progress.file",
            org=project.org,
            fields=["period", "invested", "progress", "problems", "is_late"],
        )
    action = "progress.correct" if locked else "progress.update"
    audit.update(actor, report, data, action=action, org=project.org, note=reason.strip() or None)
    return report


@transaction.atomic
def add_photo(actor, report, upload):
    """Store an image: checked by content, size-limited, re-encoded (drops EXIF, scripts)."""
    require_edit(actor, report.project)
    try:
        image = files.check(
            upload, kinds={files.IMAGE}, max_bytes=PHOTO_MAX_BYTES, max_side=PHOTO_MAX_SIDE
        )
    except files.Refused as e:
        if e.too_large:
            raise ValidationError({"photo": _("照片不能超过12MB")}) from e
        raise ValidationError(
            {"photo": _("“%(name)s”不是可识别的图片") % {"name": upload.name}}
        ) from e
    photo = ProgressPhoto(report=report, width=image.width, height=image.height, uploaded_by=actor)
    name = f"{report.project_id}-{report.period:%Y%m}.jpg"
    photo.image.save(name, ContentFile(image.data), save=False)
    photo.save()
    audit.record(
        actor,
        "progress.photo",
        report,
        org=report.project.org,
        changes={"photo": [None, photo.image.name]},
    )
    return photo


def photo_thumbnail(photo):
    """The photo's thumbnail (THUMB_SIDE px on its long side), opened: drawn from the stored
    photo on its first request and kept in storage, so each is drawn once."""
    storage = photo.image.storage
    name = f"thumbs/{THUMB_SIDE}/{photo.image.name}"
    if not storage.exists(name):
        with photo.image.open("rb") as original:
            data, _width, _height = files.reencode(original.read(), THUMB_SIDE)
        # Two first requests at once each save one; the second is kept under another name.
        name = storage.save(name, ContentFile(data))
    return storage.open(name, "rb")


def next_stage(stage):
    """The stage after `stage` in the lifecycle; None after the last and for a cancelled one."""
    i = LIFECYCLE.index(stage) if stage in LIFECYCLE else len(LIFECYCLE)
    return LIFECYCLE[i + 1] if i + 1 < len(LIFECYCLE) else None


@transaction.atomic
def lock_period(actor, org, period):
    """A statistician closes a month for a zone; the month's reports then need corrections."""
    if actor is not None and not has_role_over(
        actor, org, {Role.Name.STATISTICIAN, Role.Name.ADMIN}
    ):
        raise PermissionDenied(_("只有统计员或管理员可以关账"))
    period = period.replace(day=1)
    if period > timezone.localdate().replace(day=1):
        raise ValidationError({"period": _("不能关闭未来的月份")})
    lock, created = PeriodLock.objects.get_or_create(
        org=org, period=period, defaults={"locked_by": actor}
    )
    if not created:
        raise ValidationError({"period": _("%(m)s已关账") % {"m": f"{period:%Y-%m}"}})
    audit.record(actor, "period.lock", org, org=org, changes={"period": [None, f"{period:%Y-%m}"]})
    return lock


STEP_FIELDS = [
    "kind",
    "title",
    "agent",
    "unit",
    "status",
    "committed_days",
    "started_on",
    "done_on",
    "is_commitment",
    "note",
]


def _clean_step(data, project):
    if data.get("committed_days") is None:
        raise ValidationError({"committed_days": _("请填写承诺办结时限（工作日）")})
    check(ApprovalStep, "committed_days", data["committed_days"])
    if data.get("status") in (
        ApprovalStep.Status.ACTIVE,
        ApprovalStep.Status.DONE,
    ) and not data.get("started_on"):
        raise ValidationError({"started_on": _("办理中或已办结的事项须填写受理日期")})
    if data.get("status") == ApprovalStep.Status.DONE and not data.get("done_on"):
        raise ValidationError({"done_on": _("已办结的事项须填写办结日期")})
    if data.get("done_on") and data.get("started_on") and data["done_on"] < data["started_on"]:
        raise ValidationError({"done_on": _("办结日期不能早于受理日期")})
    unit = data.get("unit")
    if unit is not None and not rules.within(unit.org, project.org):
        raise ValidationError(
            {"unit": _("“%(v)s”不属于“%(org)s”") % {"v": unit, "org": project.org}}
        )
    data["title"] = (data.get("title") or "").strip()
    data["note"] = (data.get("note") or "").strip()
    return data


@transaction.atomic
def add_approval_step(actor, project, **fields):
    require_edit(actor, project)
    data = _clean_step({f: fields.get(f) for f in STEP_FIELDS}, project)
    data = {k: v for k, v in data.items() if v is not None}
    step = ApprovalStep(project=project, **data)
    return audit.create(actor, step, action="approval.create", org=project.org, fields=STEP_FIELDS)


@transaction.atomic
def update_approval_step(actor, step, data, *, expected_version=None):
    require_edit(actor, step.project)
    current = {f: getattr(step, f) for f in STEP_FIELDS}
    data = _clean_step({**current, **data}, step.project)
    audit.update(
        actor,
        step,
        data,
        action="approval.update",
        org=step.project.org,
        expected_version=expected_version,
    )
    return step
