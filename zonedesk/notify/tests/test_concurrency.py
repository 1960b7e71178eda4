"""Two workers at once: every delivery is claimed by one of them and sent once."""

import threading

import pytest
from django.db import connection, transaction

from zonedesk.notify import services
from zonedesk.notify.models import Delivery


def run_together(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(target())
        except Exception as e:  # reported below, not swallowed
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_post_each_delivery_once(world, robot):
    for i in range(3):
        services.create_webhook(world.owner, unit=world.unit, kind="wecom", url=f"{robot.url}/{i}")
    for k in range(10):
        services.notify_group(unit=world.unit, event="blocker.near", key=f"b:{k}", title=f"问题{k}")
    assert Delivery.objects.count() == 30
    sent = run_together(2, services.sweep)
    assert sum(sent) == 30
    assert len(robot.requests) == 30
    assert len({(r.path, r.json["markdown"]["content"]) for r in robot.requests}) == 30
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db(transaction=True)
def test_two_claimers_of_one_delivery_only_one_wins(world, robot):
    services.create_webhook(world.owner, unit=world.unit, kind="wecom", url=robot.url)
    services.notify_group(unit=world.unit, event="blocker.near", key="b", title="问题")
    pk = Delivery.objects.get().pk
    outcomes = run_together(4, lambda: services.deliver(pk))
    assert sorted(outcomes, key=str) == sorted(["sent", None, None, None], key=str)
    assert len(robot.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_notify_twice_at_once_writes_one_message_and_one_email(world):
    world.member.email = "m@example.com"
    world.member.save()

    def send():
        services.notify([world.member], event="appeal.assigned", key="appeal:1", title="诉求")

    run_together(2, send)
    assert world.member.inbox.count() == 1
    assert Delivery.objects.filter(user=world.member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_commit_enqueues_the_send_and_the_worker_job_sends_it(world, robot, private_queue):
    services.create_webhook(world.owner, unit=world.unit, kind="dingtalk", url=robot.url)
    with transaction.atomic():
        services.notify_group(unit=world.unit, event="lead.next_step", key="l:1", title="跟进")
        assert private_queue.pending_count() == 0  # nothing leaves before commit
    [job] = private_queue.pending()
    private_queue.execute(job)
    assert len(robot.requests) == 1 and Delivery.objects.get().status == "sent"
