"""The background tasks that send e-mail (queued after the commit of the change they announce,
run by ``manage.py db_worker``). Thin: the work is in ``messages`` and ``digest``."""

from django.tasks import task


@task()
def send_shift_notice(notice_id: int) -> str:
    from .messages import deliver_shift_notice

    return deliver_shift_notice(notice_id)


@task()
def send_monthly_digest(digest_id: int) -> str:
    from .digest import deliver_digest

    return deliver_digest(digest_id)
