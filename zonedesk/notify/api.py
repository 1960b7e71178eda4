import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from . import selectors, services

router = Router(tags=["notify"])


class MessageOut(Schema):
    id: int
    event: str
    key: str
    title: str
    body: str
    url: str
    org_id: int | None
    created: datetime.datetime
    read_at: datetime.datetime | None


@router.get("/messages", response=list[MessageOut], summary="我的消息（未读在前）")
@paginate
def list_messages(request, unread: bool = False):
    return selectors.inbox(request.user, unread_only=unread)


@router.post("/messages/{message_id}/read", response=MessageOut, summary="标为已读")
def read_message(request, message_id: int):
    msg = selectors.message_for(request.user, message_id)
    if msg is None:
        raise Http404
    services.mark_read(request.user, [msg.pk])
    msg.refresh_from_db()
    return msg
