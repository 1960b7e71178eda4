from huey.contrib.djhuey import db_task

from . import services


@db_task()
def build_report(job_id):
    """Build one requested document (月汇总 / 季分析 / 年交账) in the worker."""
    services.run(job_id)
